package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import dev.switchboard.shared.SecretBox;

/** Uses the development secrets the modules register in META-INF/spring.factories, as at start-up. */
class DevelopmentSecretsWarningTests {

    private final DevelopmentSecretsWarning warning = new DevelopmentSecretsWarning();

    @Test
    void developmentSecretsOnEveryInterfaceOrAPublicAddressAreWarnedAbout() {
        MockEnvironment environment = new MockEnvironment();
        assertThat(warning.warning(environment)).hasValueSatisfying(text -> assertThat(text)
                .contains("every network interface", "switchboard.security.jwt-secret", "switchboard.security.encryption-key",
                        "switchboard.identity.oauth.signing-key"));
        environment.setProperty("server.address", "0.0.0.0");
        assertThat(warning.warning(environment)).isPresent();
        environment.setProperty("server.address", "10.1.2.3");
        assertThat(warning.warning(environment)).hasValueSatisfying(text -> assertThat(text).contains("10.1.2.3"));
    }

    @Test
    void loopbackOnlyOrOwnSecretsAreQuiet() {
        MockEnvironment loopback = new MockEnvironment().withProperty("server.address", "127.0.0.1");
        assertThat(warning.warning(loopback)).isEmpty();
        assertThat(warning.warning(loopback.withProperty("server.address", "::1"))).isEmpty();
        MockEnvironment ownSecrets = new MockEnvironment()
                .withProperty("switchboard.security.jwt-secret", "an-operator-secret-0123456789-0123456789")
                .withProperty("switchboard.security.encryption-key", "cHJvZHVjdGlvbi1saWtlLWtleS0wMTIzNDU2Nzg5YWI=")
                .withProperty("switchboard.identity.oauth.signing-key-file", "/run/secrets/oauth-signing-key.pem");
        assertThat(warning.warning(ownSecrets)).isEmpty();
        ownSecrets.setProperty("switchboard.security.encryption-key", SecretBox.DEVELOPMENT_KEY);
        assertThat(warning.warning(ownSecrets)).hasValueSatisfying(text -> assertThat(text)
                .contains("switchboard.security.encryption-key").doesNotContain("jwt-secret"));
    }
}
