package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The one rule for "acts as admin": the ADMIN role and, on the credential, the admin scope. */
class CallerTests {

    @Test
    void anAdminsSessionActsAsAdmin() {
        assertThat(caller(Role.ADMIN, Scopes.ALL, null).actsAsAdmin()).isTrue();
    }

    @Test
    void anAdminsKeyActsAsAdminOnlyWithTheAdminScope() {
        assertThat(caller(Role.ADMIN, Set.of(Scopes.CHAT), UUID.randomUUID()).actsAsAdmin()).isFalse();
        assertThat(caller(Role.ADMIN, Set.of(Scopes.CHAT, Scopes.ADMIN), UUID.randomUUID()).actsAsAdmin()).isTrue();
    }

    @Test
    void aMemberNeverActsAsAdminWhateverTheScopes() {
        assertThat(caller(Role.MEMBER, Scopes.ALL, null).actsAsAdmin()).isFalse();
    }

    private static Caller caller(Role role, Set<String> scopes, UUID apiKeyId) {
        return new Caller(UUID.randomUUID(), UUID.randomUUID(), "someone@example.test", role, scopes, apiKeyId, null, null);
    }
}
