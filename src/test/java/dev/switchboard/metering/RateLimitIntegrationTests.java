package dev.switchboard.metering;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/** Small limits, in this process (no Redis configured). */
@IntegrationTest
@TestPropertySource(properties = {
        "switchboard.metering.tiers.free.requests-per-minute=5",
        "switchboard.metering.tiers.pro.requests-per-minute=8",
        "switchboard.metering.tiers.small.requests-per-minute=6",
        "switchboard.metering.login-per-account-per-minute=3",
        "switchboard.metering.login-per-address-per-minute=1000",
        "switchboard.metering.anonymous-per-address-per-minute=1000",
        "switchboard.metering.oauth-registrations-per-address-per-hour=2"})
class RateLimitIntegrationTests extends ApiTestSupport {

    @Test
    void aKeysTierLimitsItsRequestsWithHeadersAndRetryAfter() {
        Session admin = accounts.newTenantAdmin();
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"pro\",\"tier\":\"pro\"}"))
                .path("key").asString();
        // The key also draws on its owner's bucket, at the owner's tier: make it as large as the key's.
        assertThat(accounts.send(admin, "PATCH", "/api/users/" + admin.userId(), "{\"tier\":\"pro\"}").statusCode())
                .isEqualTo(200);
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> ok = http.get("/api/auth/me", "X-API-Key", key);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit-Limit")).hasValue("8");
            assertThat(ok.headers().firstValue("RateLimit-Remaining")).hasValue(String.valueOf(7 - i));
        }
        HttpResponse<String> refused = http.get("/api/auth/me", "X-API-Key", key);
        assertProblem(refused, 429, "too-many-requests");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(refused.headers().firstValue("RateLimit-Reset")).isPresent();

        String otherKey = HttpTestClient.json(accounts.send(accounts.newTenantAdmin(), "POST", "/api/keys",
                "{\"name\":\"free\"}")).path("key").asString();
        assertThat(http.get("/api/auth/me", "X-API-Key", otherKey).headers().firstValue("RateLimit-Limit")).hasValue("5");
    }

    @Test
    void keysOfOneMemberShareTheMembersRequestRate() {
        Session admin = accounts.newTenantAdmin();
        Session member = accounts.newUser(admin, "MEMBER");
        assertThat(accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"small\"}").statusCode())
                .isEqualTo(200);
        // Two of the member's 6 requests this minute: one key each.
        String first = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"one\"}")).path("key").asString();
        String second = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"two\"}")).path("key").asString();

        HttpResponse<String> ok = http.get("/api/auth/me", "X-API-Key", first);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("RateLimit-Limit")).hasValue("6");
        assertThat(ok.headers().firstValue("RateLimit-Remaining")).as("the member's bucket, not the key's (5 left)").hasValue("3");
        int allowed = 1;
        for (int i = 0; i < 9; i++) {
            allowed += http.get("/api/auth/me", "X-API-Key", i % 2 == 0 ? second : first).statusCode() == 200 ? 1 : 0;
        }
        assertThat(allowed).as("two keys do not double the member's rate").isEqualTo(4);
        HttpResponse<String> refused = http.get("/api/auth/me", "X-API-Key", second);
        assertProblem(refused, 429, "too-many-requests");
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("6");
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertProblem(accounts.send(member, "GET", "/api/auth/me", null), 429, "too-many-requests");
        assertThat(accounts.send(admin, "GET", "/api/auth/me", null).statusCode()).as("other users keep their own").isEqualTo(200);
    }

    @Test
    void passwordGuessingIsThrottledPerAccount() {
        Session admin = accounts.newTenantAdmin();
        String wrong = "{\"email\":\"" + admin.email() + "\",\"password\":\"guess-guess-guess\"}";
        for (int i = 0; i < 2; i++) {
            assertProblem(http.postJson("/api/auth/login", wrong), 401, "invalid-credentials");
        }
        HttpResponse<String> throttled = http.postJson("/api/auth/login", wrong);
        assertProblem(throttled, 429, "too-many-requests");
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.headers().firstValue("RateLimit-Limit")).hasValue("3");
        // Even the right password waits: the account is throttled, not the guess.
        assertProblem(http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\""
                + Accounts.PASSWORD + "\"}"), 429, "too-many-requests");
        // Unknown accounts are throttled alike.
        String unknown = "{\"email\":\"ghost-" + admin.userId() + "@example.test\",\"password\":\"guess-guess-guess\"}";
        for (int i = 0; i < 3; i++) {
            http.postJson("/api/auth/login", unknown);
        }
        assertProblem(http.postJson("/api/auth/login", unknown), 429, "too-many-requests");
    }

    @Test
    void rejectionsAreCounted() {
        Session admin = accounts.newTenantAdmin();
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"k\"}")).path("key").asString();
        for (int i = 0; i < 6; i++) {
            http.get("/api/auth/me", "X-API-Key", key);
        }
        assertThat(http.get("/metrics").body()).contains(
                "switchboard_rate_limit_rejections_total{application=\"switchboard\",limit=\"tier\"}");
    }

    @Test
    void openClientRegistrationIsLimitedPerAddress() {
        String registration = "{\"client_name\":\"c\",\"redirect_uris\":[\"http://127.0.0.1/cb\"],\"token_endpoint_auth_method\":\"none\"}";
        assertThat(http.postJson("/oauth2/register", registration).statusCode()).isEqualTo(201);
        assertThat(http.postJson("/oauth2/register", registration).statusCode()).isEqualTo(201);
        HttpResponse<String> refused = http.postJson("/oauth2/register", registration);
        assertProblem(refused, 429, "too-many-requests");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
}
