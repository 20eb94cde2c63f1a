package dev.switchboard.metering;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class UsageIntegrationTests extends ApiTestSupport {

    Session admin;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
    }

    @Test
    void everyAuthenticatedRequestIsCountedPerKeyAndUser() {
        Session member = accounts.newUser(admin, "MEMBER");
        JsonNode key = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"metered\"}"));
        String secret = key.path("key").asString();
        for (int i = 0; i < 4; i++) {
            http.get("/api/auth/me", "X-API-Key", secret);
        }
        http.get("/api/sessions/" + java.util.UUID.randomUUID(), "X-API-Key", secret);

        JsonNode own = HttpTestClient.json(accounts.send(member, "GET", "/api/keys/" + key.path("id").asString() + "/usage", null));
        assertThat(own.path("rows").get(0).path("requests").asLong()).isEqualTo(5);
        assertThat(own.path("rows").get(0).path("errors").asLong()).isEqualTo(1);

        JsonNode byKey = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=key", null));
        assertThat(byKey.path("rows").valueStream().filter(row -> row.path("group").asString().equals(key.path("id").asString()))
                .findFirst().orElseThrow().path("requests").asLong()).isEqualTo(5);
        JsonNode byUser = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=user", null));
        assertThat(byUser.path("rows").findValuesAsString("group")).contains(member.userId().toString(), admin.userId().toString());
        JsonNode byDay = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage", null));
        assertThat(byDay.path("rows").get(0).path("requests").asLong()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void usageIsForAdminsAndOwnersOfOneTenant() {
        Session member = accounts.newUser(admin, "MEMBER");
        String adminKey = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"a\"}")).path("id").asString();
        assertProblem(accounts.send(member, "GET", "/api/usage", null), 403, "forbidden");
        assertProblem(accounts.send(member, "GET", "/api/keys/" + adminKey + "/usage", null), 404, "not-found");
        Session other = accounts.newTenantAdmin();
        assertProblem(accounts.send(other, "GET", "/api/keys/" + adminKey + "/usage", null), 404, "not-found");
        assertThat(accounts.send(other, "GET", "/api/usage?groupBy=user", null).body()).doesNotContain(admin.userId().toString());
        assertProblem(accounts.send(admin, "GET", "/api/usage?groupBy=week", null), 400, "bad-request");
    }
}
