package dev.switchboard.identity.internal.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.DevelopmentSecret;
import dev.switchboard.shared.PackagedSecrets;
import dev.switchboard.shared.ProductionRequirement;

/**
 * Production OAuth access tokens are signed with the operator's key, never the development key generated under the
 * data directory, and the key never sits in a packaged configuration file.
 */
public final class OAuthSigningKeyRequirement implements ProductionRequirement, DevelopmentSecret {

    private static final String SETTING = "switchboard.identity.oauth.signing-key";
    private static final String FILE_SETTING = "switchboard.identity.oauth.signing-key-file";

    @Override
    public List<String> violations(Environment environment) {
        List<String> violations = new ArrayList<>();
        inUse(environment).ifPresent(setting -> violations.add(setting + " is unset: OAuth access tokens would be signed "
                + "with a development key. Set SWITCHBOARD_IDENTITY_OAUTH_SIGNING_KEY to a PEM PKCS#8 RSA key (openssl genpkey "
                + "-algorithm RSA -pkeyopt rsa_keygen_bits:3072), or SWITCHBOARD_IDENTITY_OAUTH_SIGNING_KEY_FILE to a mounted "
                + "file holding one."));
        violations.addAll(PackagedSecrets.violations(environment, SETTING));
        return violations;
    }

    @Override
    public Optional<String> inUse(Environment environment) {
        return StringUtils.hasText(environment.getProperty(SETTING)) || StringUtils.hasText(environment.getProperty(FILE_SETTING))
                ? Optional.empty() : Optional.of(SETTING);
    }
}
