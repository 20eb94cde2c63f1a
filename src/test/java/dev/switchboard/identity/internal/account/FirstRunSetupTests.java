package dev.switchboard.identity.internal.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.identity.internal.SecurityProperties;

/** The set-up code: the same on every replica that shares a real JWT secret, unpredictable with the public one. */
class FirstRunSetupTests {

    @Test
    void aRealSecretGivesEveryReplicaTheSameCodeAndOtherSecretsOtherCodes() {
        String secret = "a-real-secret-of-at-least-thirty-two-bytes-1";
        assertThat(FirstRunSetup.code(secret)).isEqualTo(FirstRunSetup.code(secret)).matches("[A-HJ-NP-Z2-9]{20}");
        assertThat(FirstRunSetup.code(secret)).isNotEqualTo(FirstRunSetup.code(secret + "2"));
    }

    @Test
    void theDevelopmentSecretGivesARandomCodePerStart() {
        String development = SecurityProperties.DEVELOPMENT_JWT_SECRET;
        assertThat(FirstRunSetup.code(development)).isNotEqualTo(FirstRunSetup.code(development)).matches("[A-HJ-NP-Z2-9]{20}");
    }
}
