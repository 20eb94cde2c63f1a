package dev.switchboard.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestRedis;
import dev.switchboard.support.TwoReplicas;

import org.junit.jupiter.api.Test;

/**
 * Two instances sharing one PostgreSQL and one Redis: a key's limit holds for the pair, not per instance.
 * Runs when Redis answers on 127.0.0.1:6379; required under CI=true.
 */
class RedisRateLimitIntegrationTests {

    @Test
    void twoInstancesShareOneLimit() {
        TestRedis.assumeAvailable();
        try (TwoReplicas replicas = new TwoReplicas("--switchboard.metering.tiers.free.requests-per-minute=10")) {
            Accounts accounts = new Accounts(replicas.httpA);
            String key = HttpTestClient.json(accounts.send(accounts.newTenantAdmin(), "POST", "/api/keys",
                    "{\"name\":\"shared\"}")).path("key").asString();
            int allowed = 0;
            for (int i = 0; i < 16; i++) {
                HttpTestClient http = i % 2 == 0 ? replicas.httpA : replicas.httpB;
                if (http.get("/api/auth/me", "X-API-Key", key).statusCode() == 200) {
                    allowed++;
                }
            }
            assertThat(allowed).isEqualTo(10);
            assertThat(replicas.httpB.get("/health/ready").body()).contains("rateLimitStore");
        }
    }
}
