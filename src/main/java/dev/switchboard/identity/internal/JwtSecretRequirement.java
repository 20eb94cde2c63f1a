package dev.switchboard.identity.internal;

import java.util.List;

import dev.switchboard.shared.ProductionRequirement;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/** Production tokens are signed with a secret of the operator's, never the development default. */
public final class JwtSecretRequirement implements ProductionRequirement {

    @Override
    public List<String> violations(Environment environment) {
        String secret = environment.getProperty("switchboard.security.jwt-secret");
        if (StringUtils.hasText(secret) && !secret.equals(SecurityProperties.DEVELOPMENT_JWT_SECRET)) {
            return List.of();
        }
        return List.of("switchboard.security.jwt-secret is unset or the development default. Set "
                + "SWITCHBOARD_SECURITY_JWT_SECRET to a random value of at least 32 bytes (openssl rand -base64 48), "
                + "from the environment or a mounted secret file.");
    }
}
