package dev.switchboard.metering.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.shared.SwitchboardException;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Buckets in Redis (compare-and-swap through Bucket4j), shared by every replica, so a limit of 60 a minute
 * is 60 a minute for the deployment. When Redis fails, {@code switchboard.metering.redis-failure} decides:
 * allow (counted in {@code switchboard_rate_limit_store_failures_total}, logged once) or refuse with 503.
 */
class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    static final String KEY_PREFIX = "switchboard:rate:";

    private static final long RECONNECT_PAUSE_NANOS = Duration.ofSeconds(5).toNanos();

    private final RedisClient client;
    private final MeteringProperties.RedisFailure failurePolicy;
    private volatile ProxyManager<byte[]> buckets;
    private volatile long nextConnectAttempt;
    private final Counter failures;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    RedisRateLimiter(RedisClient client, MeteringProperties.RedisFailure failurePolicy, MeterRegistry meters) {
        // While Redis is away, fail commands at once instead of queueing them until they time out.
        client.setOptions(ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.client = client;
        this.failurePolicy = failurePolicy;
        this.failures = Counter.builder("switchboard.rate_limit.store.failures")
                .description("Rate-limit decisions Redis could not make").register(meters);
    }

    /**
     * Connects on first use, not at start-up: Switchboard starts while Redis is down, and after a failed
     * connection waits a few seconds before trying again instead of paying a connect on every request.
     */
    private ProxyManager<byte[]> buckets() {
        ProxyManager<byte[]> current = buckets;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (buckets == null) {
                if (System.nanoTime() - nextConnectAttempt < 0) {
                    throw new IllegalStateException("Redis connection failed recently");
                }
                try {
                    buckets = Bucket4jLettuce.casBasedBuilder(client)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                    Duration.ofMinutes(1)))
                            .requestTimeout(Duration.ofSeconds(2))
                            .build();
                }
                catch (RuntimeException ex) {
                    nextConnectAttempt = System.nanoTime() + RECONNECT_PAUSE_NANOS;
                    throw ex;
                }
            }
            return buckets;
        }
    }

    @Override
    public void refund(Limit limit, String key, long tokens) {
        adjust("refund", limit, tokens, () -> bucket(limit, key).addTokens(tokens));
    }

    @Override
    public void charge(Limit limit, String key, long tokens) {
        adjust("charge", limit, tokens, () -> bucket(limit, key).consumeIgnoringRateLimits(tokens));
    }

    /** A settlement Redis could not take is counted and logged; it never fails the call that already happened. */
    private void adjust(String what, Limit limit, long tokens, Runnable adjustment) {
        try {
            adjustment.run();
        }
        catch (RuntimeException ex) {
            failures.increment();
            log.warn("Could not {} {} tokens of {} in Redis ({})", what, tokens, limit.name(), ex.getClass().getSimpleName());
        }
    }

    private BucketProxy bucket(Limit limit, String key) {
        byte[] bucketKey = (KEY_PREFIX + limit.name() + ':' + key).getBytes(StandardCharsets.UTF_8);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
                .build();
        return buckets().builder().build(bucketKey, () -> configuration);
    }

    @Override
    public RateDecision consume(Limit limit, String key, long tokens) {
        try {
            RateDecision decision = RateDecisions.of(limit, bucket(limit, key).tryConsumeAndReturnRemaining(tokens));
            if (failureLogged.compareAndSet(true, false)) {
                log.info("Redis answers rate-limit decisions again");
            }
            return decision;
        }
        catch (RuntimeException ex) {
            failures.increment();
            if (failureLogged.compareAndSet(false, true)) {
                log.error("Redis does not answer rate-limit decisions ({}); policy: {}", ex.getClass().getSimpleName(),
                        failurePolicy);
            }
            if (failurePolicy == MeteringProperties.RedisFailure.CLOSED) {
                throw new SwitchboardException(HttpStatus.SERVICE_UNAVAILABLE, "rate-limit-store-unavailable",
                        "Requests cannot be metered right now; try again shortly.");
            }
            return new RateDecision(true, limit, limit.capacity(), 0, 0);
        }
    }
}
