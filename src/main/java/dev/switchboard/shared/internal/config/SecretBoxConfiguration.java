package dev.switchboard.shared.internal.config;

import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.shared.SecretBox;

/**
 * The one {@link SecretBox}, keyed by {@code switchboard.security.encryption-key}; the keys in
 * {@code switchboard.security.previous-encryption-keys} (comma-separated) still open what they sealed.
 */
@Configuration(proxyBeanMethods = false)
class SecretBoxConfiguration {

    @Bean
    SecretBox secretBox(@Value("${switchboard.security.encryption-key:" + SecretBox.DEVELOPMENT_KEY + "}") String key,
            @Value("${switchboard.security.previous-encryption-keys:}") String previousKeys) {
        return new SecretBox(key, previousKeys(previousKeys));
    }

    static List<String> previousKeys(String setting) {
        return Arrays.stream(setting == null ? new String[0] : setting.split(",")).map(String::strip)
                .filter(entry -> !entry.isEmpty()).toList();
    }
}
