package dev.switchboard.shared.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.DevelopmentSecret;
import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;
import dev.switchboard.shared.SecretBox;

/**
 * Stored credentials are encrypted under a key of the operator's, never the development default, and no previous key
 * is the development default either; neither the keys nor the database's and Redis's passwords sit in a packaged
 * configuration file.
 */
public final class EncryptionKeyRequirement implements ProductionRequirement, DevelopmentSecret {

    private static final String SETTING = "switchboard.security.encryption-key";
    private static final String PREVIOUS_SETTING = "switchboard.security.previous-encryption-keys";

    @Override
    public List<String> violations(Environment environment) {
        List<String> violations = new ArrayList<>();
        inUse(environment).ifPresent(setting -> violations.add(setting + " is unset or the development default. Set "
                + "SWITCHBOARD_SECURITY_ENCRYPTION_KEY to 32 random bytes, base64-encoded (openssl rand -base64 32), from "
                + "the environment or a mounted secret file; keep it: stored provider and database credentials need it."));
        if (SecretBoxConfiguration.previousKeys(environment.getProperty(PREVIOUS_SETTING)).stream()
                .anyMatch(SecretBox.DEVELOPMENT_KEY::equals)) {
            violations.add(PREVIOUS_SETTING + " includes the development key: what it sealed was never secret. Re-enter "
                    + "those credentials (providers, databases, MCP servers) instead of carrying them over.");
        }
        violations.addAll(PackagedSecrets.violations(environment, SETTING, PREVIOUS_SETTING, "spring.datasource.password",
                "spring.data.redis.password"));
        return violations;
    }

    @Override
    public Optional<String> inUse(Environment environment) {
        String key = environment.getProperty(SETTING);
        return StringUtils.hasText(key) && !key.strip().equals(SecretBox.DEVELOPMENT_KEY) ? Optional.empty()
                : Optional.of(SETTING);
    }
}
