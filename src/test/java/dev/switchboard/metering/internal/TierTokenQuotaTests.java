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

import org.junit.jupiter.api.Test;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Role;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.support.TestRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Token quotas on real buckets: reservations never overspend under concurrency; settling corrects the count. */
class TierTokenQuotaTests {

    private static final MeteringProperties PROPERTIES = new MeteringProperties(0, 10, 5, 30, "free",
            Map.of("free", new MeteringProperties.Tier(60, 10_000)), MeteringProperties.RedisFailure.CLOSED, 10);

    private static final MeteringProperties PROPERTIES_WITH_PRO = new MeteringProperties(0, 10, 5, 30, "free",
            Map.of("free", new MeteringProperties.Tier(60, 10_000), "pro", new MeteringProperties.Tier(600, 100_000)),
            MeteringProperties.RedisFailure.CLOSED, 10);

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
        TierTokenQuota quota = new TierTokenQuota(new LocalRateLimiter(), PROPERTIES, new SimpleMeterRegistry());
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

    @Test
    void eachRefusalCountsAsATokensRejection() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TierTokenQuota quota = new TierTokenQuota(new LocalRateLimiter(), PROPERTIES, meters);
        Caller caller = caller();
        assertThat(quota.reserve(caller, 10_000).granted()).isTrue();
        assertThat(quota.reserve(caller, 1).granted()).isFalse();
        assertThat(quota.reserve(caller, 1).granted()).isFalse();
        assertThat(meters.get("switchboard.rate_limit.rejections").tag("limit", "tokens").counter().count()).isEqualTo(2);
    }

    @Test
    void keysOfOneUserShareTheUsersQuota() {
        TierTokenQuota quota = new TierTokenQuota(new LocalRateLimiter(), PROPERTIES_WITH_PRO, new SimpleMeterRegistry());
        UUID user = UUID.randomUUID();
        Caller firstKey = keyOf(user, null);
        Caller secondKey = keyOf(user, null);
        assertThat(quota.reserve(firstKey, 8_000).granted()).isTrue();
        TokenQuota.Result refused = quota.reserve(secondKey, 4_000);
        assertThat(refused.granted()).as("a second key must not bring a second quota").isFalse();
        assertThat(refused.decision().limit().name()).isEqualTo("tokens-free");
        assertThat(quota.reserve(secondKey, 2_000).granted()).isTrue();
    }

    @Test
    void aKeysHigherTierDoesNotLiftItsUsersQuotaAndARefusalTakesNothing() {
        TierTokenQuota quota = new TierTokenQuota(new LocalRateLimiter(), PROPERTIES_WITH_PRO, new SimpleMeterRegistry());
        UUID user = UUID.randomUUID();
        Caller proKey = new Caller(user, UUID.randomUUID(), "quota@example.test", Role.ADMIN, Set.of("chat"),
                UUID.randomUUID(), "pro", "free");
        assertThat(quota.reserve(proKey, 12_000).granted()).as("the user's free tier refuses first").isFalse();
        Caller session = new Caller(user, proKey.tenantId(), proKey.email(), Role.ADMIN, Set.of("chat"), null, "free", "free");
        assertThat(quota.reserve(session, 10_000).granted()).as("the refused reservation gave its tokens back").isTrue();
    }

    private static Caller keyOf(UUID user, String tier) {
        return new Caller(user, UUID.randomUUID(), "quota@example.test", Role.MEMBER, Set.of("chat"), UUID.randomUUID(),
                tier, null);
    }

    private static void assertNoOverspend(RateLimiter limiter) throws Exception {
        TierTokenQuota quota = new TierTokenQuota(limiter, PROPERTIES, new SimpleMeterRegistry());
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
                UUID.randomUUID(), null, null);
    }
}
