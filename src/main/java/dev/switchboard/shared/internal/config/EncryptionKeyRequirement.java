package dev.switchboard.shared.internal.config;

import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.ProductionRequirement;
import dev.switchboard.shared.SecretBox;

/** Stored credentials are encrypted under a key of the operator's, never the development default. */
public final class EncryptionKeyRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        String key = environment.getProperty("switchboard.security.encryption-key");
        if (StringUtils.hasText(key) && !key.strip().equals(SecretBox.DEVELOPMENT_KEY)) {
            return List.of();
        }
        return List.of("switchboard.security.encryption-key is unset or the development default. Set "
                + "SWITCHBOARD_SECURITY_ENCRYPTION_KEY to 32 random bytes, base64-encoded (openssl rand -base64 32), from "
                + "the environment or a mounted secret file; keep it: stored provider and database credentials need it.");
    }
}
