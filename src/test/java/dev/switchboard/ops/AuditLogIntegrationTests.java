package dev.switchboard.ops;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditLogIntegrationTests extends ApiTestSupport {

    Session admin;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
    }

    @Test
    void recordsWhoDidWhatFromWhere() {
        http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\"wrong-password-123\"}");
        Session member = accounts.newUser(admin, "MEMBER");
        accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"role\":\"ADMIN\"}");
        String keyId = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"audited\"}")).path("id").asString();
        accounts.send(admin, "DELETE", "/api/keys/" + keyId, null);

        JsonNode entries = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries");
        List<String> actions = entries.findValuesAsString("action");
        assertThat(actions).contains("tenant.created", "auth.login", "auth.login_failed", "user.created", "user.updated",
                "key.created", "key.revoked");
        JsonNode failed = entries.valueStream().filter(e -> e.path("action").asString().equals("auth.login_failed"))
                .findFirst().orElseThrow();
        assertThat(failed.path("actorEmail").asString()).isEqualTo(admin.email());
        assertThat(failed.path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(failed.path("details").path("reason").asString()).isEqualTo("wrong password");
        JsonNode roleChange = entries.valueStream().filter(e -> e.path("action").asString().equals("user.updated"))
                .findFirst().orElseThrow();
        assertThat(roleChange.path("subjectId").asString()).isEqualTo(member.userId().toString());
        assertThat(roleChange.path("actorId").asString()).isEqualTo(admin.userId().toString());
        assertThat(roleChange.path("details").path("role").asString()).isEqualTo("MEMBER -> ADMIN");
        assertThat(entries.toString()).doesNotContain(Accounts.PASSWORD, "wrong-password-123");
    }

    @Test
    void pagesNewestFirst() {
        for (int i = 0; i < 3; i++) {
            accounts.send(admin, "POST", "/api/keys", "{\"name\":\"k" + i + "\"}");
        }
        JsonNode first = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit?limit=2", null));
        assertThat(first.path("entries")).hasSize(2);
        long next = first.path("nextBefore").asLong();
        JsonNode second = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit?limit=2&before=" + next, null));
        assertThat(second.path("entries").get(0).path("id").asLong()).isLessThan(next);
    }

    @Test
    void onlyAdminsReadOnlyTheirTenant() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "GET", "/api/audit", null), 403, "forbidden");
        Session other = accounts.newTenantAdmin();
        assertThat(accounts.send(other, "GET", "/api/audit", null).body()).doesNotContain(admin.email());
    }
}
