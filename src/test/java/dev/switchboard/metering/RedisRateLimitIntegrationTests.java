package dev.switchboard.metering;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestRedis;
import dev.switchboard.support.TwoReplicas;

/**
 * Two instances sharing one PostgreSQL and one Redis: a user's limit holds for the pair, not per instance, and
 * for all the user's keys together. Runs when Redis answers on 127.0.0.1:6379; required under CI=true.
 */
class RedisRateLimitIntegrationTests {

    @Test
    void twoInstancesShareOneLimitForEveryKeyOfAUser() {
        TestRedis.assumeAvailable();
        try (TwoReplicas replicas = new TwoReplicas("--switchboard.metering.tiers.small.requests-per-minute=6")) {
            Accounts accounts = new Accounts(replicas.httpA);
            Session admin = accounts.newTenantAdmin();
            Session member = accounts.newUser(admin, "MEMBER");
            assertThat(accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"small\"}").statusCode())
                    .isEqualTo(200);
            // Two of the member's 6 requests this minute, made on replica A.
            String first = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"one\"}"))
                    .path("key").asString();
            String second = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"two\"}"))
                    .path("key").asString();
            int allowed = 0;
            for (int i = 0; i < 12; i++) {
                HttpTestClient http = i % 2 == 0 ? replicas.httpA : replicas.httpB;
                String key = i % 4 < 2 ? first : second;
                if (http.get("/api/auth/me", "X-API-Key", key).statusCode() == 200) {
                    allowed++;
                }
            }
            assertThat(allowed).as("two keys on two replicas share the member's 6 a minute").isEqualTo(4);
            assertThat(replicas.httpB.get("/health/ready").body()).contains("rateLimitStore");
        }
    }
}
