package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.MutableClock;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ApiKeyIntegrationTests extends ApiTestSupport {

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @Autowired
    MutableClock clock;

    Session admin;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
    }

    @Test
    void aKeyIsShownOnceAndAuthenticatesEitherWay() {
        JsonNode created = create(admin, "{\"name\":\"ci\"}");
        String key = created.path("key").asString();
        assertThat(key).matches("sb_[0-9A-Za-z]{43}");
        assertThat(created.path("scopes").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("chat", "knowledge:read", "knowledge:write", "sql", "mcp");

        HttpResponse<String> list = accounts.send(admin, "GET", "/api/keys", null);
        assertThat(list.body()).doesNotContain(key).contains(created.path("prefix").asString());

        assertThat(HttpTestClient.json(http.get("/api/auth/me", "X-API-Key", key)).path("id").asString())
                .isEqualTo(admin.userId().toString());
        assertThat(http.get("/api/auth/me", "Authorization", "Bearer " + key).statusCode()).isEqualTo(200);
    }

    @Test
    void revocationTakesEffectOnTheNextRequest() {
        JsonNode created = create(admin, "{\"name\":\"to revoke\"}");
        String key = created.path("key").asString();
        assertThat(http.get("/api/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
        assertThat(accounts.send(admin, "DELETE", "/api/keys/" + created.path("id").asString(), null).statusCode())
                .isEqualTo(204);
        HttpResponse<String> refused = http.get("/api/auth/me", "X-API-Key", key);
        assertProblem(refused, 401, "unauthorized");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    @Test
    void forgedOrMalformedKeysAreRefused() {
        String key = create(admin, "{\"name\":\"real\"}").path("key").asString();
        String forged = key.substring(0, 20) + (key.charAt(20) == 'A' ? 'B' : 'A') + key.substring(21);
        for (String presented : new String[] {forged, "sb_short", "sb_" + "x".repeat(43)}) {
            assertProblem(http.get("/api/auth/me", "X-API-Key", presented), 401, "unauthorized");
        }
    }

    @Test
    void expiredKeysAreRefused() {
        String key = create(admin, "{\"name\":\"brief\",\"expiresAt\":\"" + clock.instant().plusSeconds(2) + "\"}")
                .path("key").asString();
        assertThat(http.get("/api/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMillis(2500));
        assertProblem(http.get("/api/auth/me", "X-API-Key", key), 401, "unauthorized");
        assertProblem(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"past\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}"),
                400, "bad-request");
    }

    @Test
    void scopesLimitWhatAKeyMayDo() {
        String chatOnly = create(admin, "{\"name\":\"chat\",\"scopes\":[\"chat\"]}").path("key").asString();
        assertProblem(http.get("/api/users", "X-API-Key", chatOnly), 403, "forbidden");
        assertProblem(http.get("/api/keys", "X-API-Key", chatOnly), 403, "forbidden");

        String adminKey = create(admin, "{\"name\":\"ops\",\"scopes\":[\"admin\",\"chat\"]}").path("key").asString();
        assertThat(http.get("/api/users", "X-API-Key", adminKey).statusCode()).isEqualTo(200);

        assertProblem(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"x\",\"scopes\":[\"root\"]}"), 400, "unknown-scope");
    }

    @Test
    void aKeyWithoutTheAdminScopeCannotEndSessionsOrReadUsage() {
        Session member = accounts.newUser(admin, "MEMBER");
        String memberKeyId = create(member, "{\"name\":\"m\"}").path("id").asString();
        String chatOnly = create(admin, "{\"name\":\"chat\",\"scopes\":[\"chat\"]}").path("key").asString();
        HttpResponse<String> logout = http.send(http.request("/api/auth/logout").header("X-API-Key", chatOnly)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertProblem(logout, 403, "forbidden");
        assertThat(accounts.send(admin, "GET", "/api/auth/me", null).statusCode()).as("the admin's session lives on").isEqualTo(200);
        assertProblem(http.get("/api/keys/" + memberKeyId + "/usage", "X-API-Key", chatOnly), 403, "forbidden");
        assertProblem(http.get("/api/usage", "X-API-Key", chatOnly), 403, "forbidden");
        assertThat(accounts.send(admin, "GET", "/api/keys/" + memberKeyId + "/usage", null).statusCode()).isEqualTo(200);
    }

    @Test
    void keysAreCreatedByTheirOwnersOnlyAdminsIncluded() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertThat(create(member, "{\"name\":\"mine\"}").path("userId").asString()).isEqualTo(member.userId().toString());
        assertProblem(accounts.send(member, "POST", "/api/keys", "{\"name\":\"x\",\"scopes\":[\"admin\"]}"), 400, "unknown-scope");
        assertProblem(accounts.send(member, "POST", "/api/keys", "{\"name\":\"x\",\"userId\":\"" + admin.userId() + "\"}"),
                403, "keys-for-others");
        assertProblem(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"issued\",\"userId\":\"" + member.userId() + "\"}"),
                403, "keys-for-others");

        create(admin, "{\"name\":\"admin's own\",\"userId\":\"" + admin.userId() + "\"}");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/keys?all=true", null)).findValuesAsString("userId"))
                .contains(member.userId().toString(), admin.userId().toString()).hasSize(2);
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/keys", null)).findValuesAsString("userId"))
                .containsOnly(admin.userId().toString());
        assertThat(HttpTestClient.json(accounts.send(member, "GET", "/api/keys?all=true", null)).findValuesAsString("userId"))
                .containsOnly(member.userId().toString());
    }

    @Test
    void keysOfDisabledUsersStopWorking() {
        Session member = accounts.newUser(admin, "MEMBER");
        String key = create(member, "{\"name\":\"mine\"}").path("key").asString();
        accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"disabled\":true}");
        assertProblem(http.get("/api/auth/me", "X-API-Key", key), 401, "unauthorized");
    }

    @Test
    void anotherTenantsKeysAndUsersAreInvisible() {
        Session other = accounts.newTenantAdmin();
        JsonNode foreign = create(other, "{\"name\":\"theirs\"}");
        assertProblem(accounts.send(admin, "DELETE", "/api/keys/" + foreign.path("id").asString(), null), 404, "not-found");
        assertProblem(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"x\",\"userId\":\"" + other.userId() + "\"}"),
                403, "keys-for-others");
        assertThat(http.get("/api/auth/me", "X-API-Key", foreign.path("key").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyAdminsChooseAKeysTierAndAMembersKeysHaveTheMembersTier() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "POST", "/api/keys", "{\"name\":\"x\",\"tier\":\"enterprise\"}"),
                403, "tier-not-allowed");
        assertProblem(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"x\",\"tier\":\"platinum\"}"), 400, "unknown-tier");
        assertThat(create(admin, "{\"name\":\"big\",\"tier\":\"enterprise\"}").path("tier").asString()).isEqualTo("enterprise");

        JsonNode created = create(member, "{\"name\":\"mine\"}");
        assertThat(created.path("tier").asString()).isEqualTo("free");
        String key = created.path("key").asString();
        assertThat(http.get("/api/auth/me", "X-API-Key", key).headers().firstValue("RateLimit-Limit"))
                .as("the test profile's free tier").hasValue("100000");
        assertProblem(accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"platinum\"}"), 400, "unknown-tier");
        HttpResponse<String> promoted = accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"pro\"}");
        assertThat(HttpTestClient.json(promoted).path("tier").asString()).isEqualTo("pro");
        assertThat(http.get("/api/auth/me", "X-API-Key", key).headers().firstValue("RateLimit-Limit"))
                .as("the member's key follows the member's tier").hasValue("600");
        assertThat(accounts.send(member, "GET", "/api/auth/me", null).headers().firstValue("RateLimit-Limit")).hasValue("600");
        assertThat(HttpTestClient.json(accounts.send(member, "GET", "/api/keys", null)).findValuesAsString("tier"))
                .containsExactly("pro");
    }

    @Test
    void aUserHasAtMostTwentyLiveKeysEvenWhenCreatingConcurrently() throws Exception {
        Session member = accounts.newUser(admin, "MEMBER");
        String revocable = null;
        for (int i = 0; i < 15; i++) {
            revocable = create(member, "{\"name\":\"k" + i + "\"}").path("id").asString();
        }
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "race" + i;
            attempts.add(() -> accounts.send(member, "POST", "/api/keys", "{\"name\":\"" + name + "\"}").statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(attempts)) {
                statuses.add(status.get());
            }
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(5);
            assertThat(statuses).filteredOn(status -> status == 409).hasSize(5);
        }
        finally {
            pool.shutdown();
        }
        assertProblem(accounts.send(member, "POST", "/api/keys", "{\"name\":\"one more\"}"), 409, "too-many-keys");
        accounts.send(member, "DELETE", "/api/keys/" + revocable, null);
        create(member, "{\"name\":\"after revoking one\"}");
    }

    private JsonNode create(Session session, String json) {
        HttpResponse<String> response = accounts.send(session, "POST", "/api/keys", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return HttpTestClient.json(response);
    }
}
