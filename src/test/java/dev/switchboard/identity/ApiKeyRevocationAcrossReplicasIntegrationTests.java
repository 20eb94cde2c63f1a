package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestRedis;
import dev.switchboard.support.TwoReplicas;

/** API keys are cached per replica; revoking one on a replica refuses it on the other at once. */
class ApiKeyRevocationAcrossReplicasIntegrationTests {

    @Test
    void revocationOnOneReplicaHoldsOnTheOther() {
        TestRedis.assumeAvailable();
        try (TwoReplicas replicas = new TwoReplicas()) {
            Accounts onA = new Accounts(replicas.httpA);
            Session admin = onA.newTenantAdmin();
            String key = HttpTestClient.json(onA.send(admin, "POST", "/api/keys", "{\"name\":\"cached\"}")).path("key").asString();
            String id = HttpTestClient.json(onA.send(admin, "GET", "/api/keys", null)).get(0).path("id").asString();
            for (int i = 0; i < 3; i++) {
                assertThat(replicas.httpB.get("/api/auth/me", "X-API-Key", key).statusCode()).isEqualTo(200);
            }
            assertThat(onA.send(admin, "DELETE", "/api/keys/" + id, null).statusCode()).isEqualTo(204);
            // The invalidation travels through Redis pub/sub; allow it the time of a message.
            await("replica B refuses the revoked key").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(25))
                    .until(() -> replicas.httpB.get("/api/auth/me", "X-API-Key", key).statusCode(), status -> status == 401);
        }
    }
}
