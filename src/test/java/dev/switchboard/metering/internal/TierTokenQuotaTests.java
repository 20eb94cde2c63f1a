package dev.switchboard.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Role;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.support.TestRedis;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** Token quotas on real buckets: reservations never overspend under concurrency; settling corrects the count. */
class TierTokenQuotaTests {

    private static final MeteringProperties PROPERTIES = new MeteringProperties(0, 10, 5, 30, "free",
            Map.of("free", new MeteringProperties.Tier(60, 10_000)), MeteringProperties.RedisFailure.CLOSED);

    @Test
    void concurrentReservationsCannotOverspendInProcess() throws Exception {
        assertNoOverspend(new LocalRateLimiter());
    }

    @Test
    void concurrentReservationsCannotOverspendInRedis() throws Exception {
        TestRedis.assumeAvailable();
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try {
            assertNoOverspend(new RedisRateLimiter(client, MeteringProperties.RedisFailure.CLOSED, new SimpleMeterRegistry()));
        }
        finally {
            client.shutdown();
        }
    }

    @Test
    void settlingRefundsWhatWasNotUsedAndChargesOveruse() {
        TierTokenQuota quota = new TierTokenQuota(new LocalRateLimiter(), PROPERTIES);
        Caller caller = caller();
        TokenQuota.Result first = quota.reserve(caller, 8_000);
        assertThat(first.granted()).isTrue();
        assertThat(quota.reserve(caller, 4_000).granted()).isFalse();
        quota.settle(first.reservation().orElseThrow(), 1_000);
        TokenQuota.Result second = quota.reserve(caller, 8_000);
        assertThat(second.granted()).isTrue();
        quota.settle(second.reservation().orElseThrow(), 12_000);
        TokenQuota.Result refused = quota.reserve(caller, 1);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.decision().retryAfterSeconds()).isPositive();
    }

    private static void assertNoOverspend(RateLimiter limiter) throws Exception {
        TierTokenQuota quota = new TierTokenQuota(limiter, PROPERTIES);
        Caller caller = caller();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                calls.add(() -> quota.reserve(caller, 1_000).granted());
            }
            long granted = 0;
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                granted += result.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(10);
        }
        finally {
            pool.shutdown();
        }
    }

    private static Caller caller() {
        return new Caller(UUID.randomUUID(), UUID.randomUUID(), "quota@example.test", Role.MEMBER, Set.of("chat"),
                UUID.randomUUID(), null);
    }
}
