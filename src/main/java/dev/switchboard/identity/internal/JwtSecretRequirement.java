package dev.switchboard.identity.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.DevelopmentSecret;
import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;

/**
 * Production tokens are signed with a secret of the operator's, never the development default, and neither it nor
 * the first admin's password sits in a packaged configuration file.
 */
public final class JwtSecretRequirement implements ProductionRequirement, DevelopmentSecret {

    private static final String SETTING = "switchboard.security.jwt-secret";

    @Override
    public List<String> violations(Environment environment) {
        List<String> violations = new ArrayList<>();
        inUse(environment).ifPresent(setting -> violations.add(setting + " is unset or the development default. Set "
                + "SWITCHBOARD_SECURITY_JWT_SECRET to a random value of at least 32 bytes (openssl rand -base64 48), "
                + "from the environment or a mounted secret file."));
        violations.addAll(PackagedSecrets.violations(environment, SETTING, "switchboard.bootstrap.admin-password"));
        return violations;
    }

    @Override
    public Optional<String> inUse(Environment environment) {
        String secret = environment.getProperty(SETTING);
        return StringUtils.hasText(secret) && !secret.equals(SecurityProperties.DEVELOPMENT_JWT_SECRET) ? Optional.empty()
                : Optional.of(SETTING);
    }
}
