package dev.switchboard.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.shared.SwitchboardException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** When Redis does not answer (here: a real client against a port nobody listens on), the policy decides. */
class RedisRateLimiterTests {

    private final RedisClient unreachable = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(1)
            .withTimeout(Duration.ofMillis(500)).build());
    private final Limit limit = Limit.perMinute("tier-free", 5);

    @AfterEach
    void close() {
        unreachable.shutdown();
    }

    @Test
    void openPolicyAllowsAndCounts() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisRateLimiter limiter = new RedisRateLimiter(unreachable, MeteringProperties.RedisFailure.OPEN, meters);
        RateDecision decision = limiter.consume(limit, "key:x", 1);
        assertThat(decision.allowed()).isTrue();
        assertThat(meters.counter("switchboard.rate_limit.store.failures").count()).isEqualTo(1);
    }

    @Test
    void closedPolicyRefusesWith503() {
        RedisRateLimiter limiter = new RedisRateLimiter(unreachable, MeteringProperties.RedisFailure.CLOSED,
                new SimpleMeterRegistry());
        assertThatThrownBy(() -> limiter.consume(limit, "key:x", 1))
                .isInstanceOfSatisfying(SwitchboardException.class, ex -> assertThat(ex.getStatusCode().value()).isEqualTo(503));
    }
}
