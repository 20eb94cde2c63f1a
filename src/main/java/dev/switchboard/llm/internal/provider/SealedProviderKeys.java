package dev.switchboard.llm.internal.provider;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.switchboard.shared.SealedColumn;
import dev.switchboard.shared.SealedSecrets;
import dev.switchboard.shared.SecretBox;

/**
 * The sealed API keys of runtime providers ({@code llm_providers.api_key_sealed}),
 * for the re-seal job that moves stored secrets to the current encryption key.
 */
@Configuration(proxyBeanMethods = false)
class SealedProviderKeys {

    @Bean
    SealedSecrets providerKeyColumn(JdbcClient jdbc, SecretBox box) {
        return new SealedColumn("LLM provider API keys", "llm_providers", "id", "api_key_sealed",
                (tenant, id) -> RuntimeProviders.context(tenant, (String) id), jdbc, box);
    }
}
