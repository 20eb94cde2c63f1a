package dev.switchboard.shared.internal.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.shared.SecretBox;

/** The one {@link SecretBox}, keyed by {@code switchboard.security.encryption-key}. */
@Configuration(proxyBeanMethods = false)
class SecretBoxConfiguration {

    @Bean
    SecretBox secretBox(@Value("${switchboard.security.encryption-key:" + SecretBox.DEVELOPMENT_KEY + "}") String key) {
        return new SecretBox(key);
    }
}
