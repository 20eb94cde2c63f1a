package dev.switchboard.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.support.TestRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Decisions on several buckets at once (a key's and its user's), in process and in Redis: all or nothing, the
 * decision reporting the bucket closest to refusal, and exact under concurrency — in Redis across two clients,
 * as two replicas would be. The limits are per hour so that no refill happens while a test runs.
 */
class RateLimitersTests {

    private final List<RedisClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RedisClient::shutdown);
    }

    @Test
    void aRefusalTakesNothingFromTheOtherBucketInProcess() {
        assertAllOrNothing(new LocalRateLimiter());
    }

    @Test
    void aRefusalTakesNothingFromTheOtherBucketInRedis() {
        TestRedis.assumeAvailable();
        assertAllOrNothing(redis());
    }

    @Test
    void keysOfOneUserShareItsBucketExactlyUnderConcurrencyInProcess() throws Exception {
        LocalRateLimiter limiter = new LocalRateLimiter();
        assertSharedExactly(limiter, limiter);
    }

    @Test
    void keysOfOneUserShareItsBucketExactlyAcrossReplicasInRedis() throws Exception {
        TestRedis.assumeAvailable();
        assertSharedExactly(redis(), redis());
    }

    @Test
    void settlementsRefundUpToTheCapacityAndChargeIntoDebtInRedis() {
        TestRedis.assumeAvailable();
        RateLimiter limiter = redis();
        Limit limit = perHour("tokens", 10);
        String key = "user:" + UUID.randomUUID();
        assertThat(limiter.consume(limit, key, 8).remaining()).isEqualTo(2);
        limiter.refund(limit, key, 100);
        assertThat(limiter.consume(limit, key, 10).allowed()).as("refunds stop at the capacity").isTrue();
        limiter.charge(limit, key, 5);
        limiter.refund(limit, key, 4);
        RateDecision inDebt = limiter.consume(limit, key, 1);
        assertThat(inDebt.allowed()).as("a charge goes below zero").isFalse();
        assertThat(inDebt.retryAfterSeconds()).isPositive();
    }

    private void assertAllOrNothing(RateLimiter limiter) {
        String user = "user:" + UUID.randomUUID();
        Bucket userBucket = new Bucket(perHour("tier-small", 3), user);
        Bucket firstKey = new Bucket(perHour("tier-pro", 10), "key:" + UUID.randomUUID());
        Bucket secondKey = new Bucket(perHour("tier-pro", 10), "key:" + UUID.randomUUID());

        RateDecision first = limiter.consume(List.of(firstKey, userBucket), 1);
        assertThat(first.allowed()).isTrue();
        assertThat(first.limit().name()).as("the bucket closest to refusal").isEqualTo("tier-small");
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(limiter.consume(List.of(secondKey, userBucket), 1).allowed()).isTrue();
        assertThat(limiter.consume(List.of(firstKey, userBucket), 1).allowed()).isTrue();

        RateDecision refused = limiter.consume(List.of(secondKey, userBucket), 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit().name()).isEqualTo("tier-small");
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isPositive();
        // The refusal took nothing from the key's bucket: 9 left of 10 after one request.
        RateDecision keyAlone = limiter.consume(List.of(secondKey), 9);
        assertThat(keyAlone.allowed()).isTrue();
        assertThat(keyAlone.remaining()).isZero();
    }

    /** 20 keys of one user, 200 requests at once spread over two limiters: exactly the user's 30 pass. */
    private void assertSharedExactly(RateLimiter replicaA, RateLimiter replicaB) throws Exception {
        Bucket user = new Bucket(perHour("tier-small", 30), "user:" + UUID.randomUUID());
        List<Bucket> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            keys.add(new Bucket(perHour("tier-small", 30), "key:" + UUID.randomUUID()));
        }
        List<Callable<Boolean>> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RateLimiter limiter = i % 2 == 0 ? replicaA : replicaB;
            Bucket key = keys.get(i % keys.size());
            requests.add(() -> limiter.consume(List.of(key, user), 1).allowed());
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        int allowed = 0;
        try {
            for (Future<Boolean> outcome : pool.invokeAll(requests)) {
                allowed += outcome.get() ? 1 : 0;
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(allowed).isEqualTo(30);
        // The refusals took nothing from the keys: together they hold their 20 x 30 less what passed.
        long keysLeft = keys.stream().mapToLong(k -> replicaA.consume(List.of(k), 1).remaining() + 1).sum();
        assertThat(keysLeft).isEqualTo(20L * 30 - 30);
    }

    private static Limit perHour(String name, long capacity) {
        return new Limit(name, capacity, java.time.Duration.ofHours(1));
    }

    private RedisRateLimiter redis() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        clients.add(client);
        return new RedisRateLimiter(client, MeteringProperties.RedisFailure.CLOSED, new SimpleMeterRegistry());
    }
}
