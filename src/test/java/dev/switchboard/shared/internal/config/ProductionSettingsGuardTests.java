package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import dev.switchboard.shared.SecretBox;

/** Uses the requirements the modules register in META-INF/spring.factories, as at start-up. */
class ProductionSettingsGuardTests {

    private static final String PRODUCTION_LIKE_KEY = "cHJvZHVjdGlvbi1saWtlLWtleS0wMTIzNDU2Nzg5YWI=";
    private static final String SIGNING_KEY_FILE = "switchboard.identity.oauth.signing-key-file";

    private final ProductionSettingsGuard guard = new ProductionSettingsGuard();

    @Test
    void developmentProfileIsNotChecked() {
        MockEnvironment environment = new MockEnvironment();
        guard.postProcessEnvironment(environment, new SpringApplication());
    }

    @Test
    void prodRefusesDefaultsAndSaysWhatToSet() {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles("prod");
        assertThatThrownBy(() -> guard.postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(ProductionSettingsException.class)
                .satisfies(ex -> assertThat(((ProductionSettingsException) ex).violations())
                        .hasSize(5)
                        .anySatisfy(v -> assertThat(v).contains("SWITCHBOARD_IDENTITY_OAUTH_SIGNING_KEY"))
                        .anySatisfy(v -> assertThat(v).contains("SPRING_DATASOURCE_URL"))
                        .anySatisfy(v -> assertThat(v).contains("switchboard.security.require-https is off"))
                        .anySatisfy(v -> assertThat(v).contains("SWITCHBOARD_SECURITY_JWT_SECRET"))
                        .anySatisfy(v -> assertThat(v).contains("SWITCHBOARD_SECURITY_ENCRYPTION_KEY")));
    }

    @Test
    void prodRefusesTheDevelopmentJwtSecret() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.require-https", "true")
                .withProperty("switchboard.security.jwt-secret", "switchboard-development-only-jwt-secret-do-not-use")
                .withProperty("switchboard.security.encryption-key", PRODUCTION_LIKE_KEY)
                .withProperty(SIGNING_KEY_FILE, "/run/secrets/oauth-signing-key.pem");
        environment.setActiveProfiles("prod");
        assertThat(guard.violations(environment)).singleElement().asString().contains("jwt-secret");
    }

    @Test
    void prodRefusesTheDevelopmentEncryptionKey() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.require-https", "true")
                .withProperty("switchboard.security.jwt-secret", "a-real-secret-from-the-environment-0123456789")
                .withProperty("switchboard.security.encryption-key", SecretBox.DEVELOPMENT_KEY)
                .withProperty(SIGNING_KEY_FILE, "/run/secrets/oauth-signing-key.pem");
        environment.setActiveProfiles("prod");
        assertThat(guard.violations(environment)).singleElement().asString().contains("encryption-key");
    }

    @Test
    void prodRefusesTheDevelopmentKeyAmongThePreviousEncryptionKeys() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.require-https", "true")
                .withProperty("switchboard.security.jwt-secret", "a-real-secret-from-the-environment-0123456789")
                .withProperty("switchboard.security.encryption-key", PRODUCTION_LIKE_KEY)
                .withProperty("switchboard.security.previous-encryption-keys", PRODUCTION_LIKE_KEY + ", " + SecretBox.DEVELOPMENT_KEY)
                .withProperty(SIGNING_KEY_FILE, "/run/secrets/oauth-signing-key.pem");
        environment.setActiveProfiles("prod");
        assertThat(guard.violations(environment)).singleElement().asString()
                .contains("previous-encryption-keys includes the development key");
    }

    @Test
    void prodAcceptsProperSettings() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.require-https", "true")
                .withProperty("switchboard.security.jwt-secret", "a-real-secret-from-the-environment-0123456789")
                .withProperty("switchboard.security.encryption-key", PRODUCTION_LIKE_KEY)
                .withProperty(SIGNING_KEY_FILE, "/run/secrets/oauth-signing-key.pem");
        environment.setActiveProfiles("prod");
        guard.postProcessEnvironment(environment, new SpringApplication());
        assertThat(guard.violations(environment)).isEmpty();
    }

    @Test
    void prodAcceptsPlainHttpOnlyWithAStatedReason() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.jwt-secret", "a-real-secret-from-the-environment-0123456789")
                .withProperty("switchboard.security.encryption-key", PRODUCTION_LIKE_KEY)
                .withProperty(SIGNING_KEY_FILE, "/run/secrets/oauth-signing-key.pem")
                .withProperty("switchboard.security.require-https", "false");
        environment.setActiveProfiles("prod");
        assertThat(guard.violations(environment)).singleElement().asString()
                .contains("SWITCHBOARD_SECURITY_PLAINHTTPREASON");
        environment.setProperty("switchboard.security.plain-http-reason", "TLS ends at the service mesh sidecar");
        assertThat(guard.violations(environment)).isEmpty();
    }

    @Test
    void prodRefusesTheGeneratedOAuthSigningKey() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.datasource.url", "jdbc:postgresql://db/switchboard")
                .withProperty("switchboard.security.require-https", "true")
                .withProperty("switchboard.security.jwt-secret", "a-real-secret-from-the-environment-0123456789")
                .withProperty("switchboard.security.encryption-key", PRODUCTION_LIKE_KEY);
        environment.setActiveProfiles("prod");
        assertThat(guard.violations(environment)).singleElement().asString().contains("switchboard.identity.oauth.signing-key",
                "SWITCHBOARD_IDENTITY_OAUTH_SIGNING_KEY_FILE");
        environment.setProperty("switchboard.identity.oauth.signing-key", "-----BEGIN PRIVATE KEY-----...");
        assertThat(guard.violations(environment)).isEmpty();
    }
}
