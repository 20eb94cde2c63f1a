package dev.switchboard.metering.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;
import dev.switchboard.shared.SwitchboardException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Buckets in Redis, shared by every replica, so a limit of 60 a minute is 60 a minute for the deployment. Every
 * decision is one Lua script ({@code metering/token-buckets.lua}), which Redis runs alone: a request that draws
 * on a key's bucket and its user's takes from both or from neither, exactly, however many replicas ask at once.
 * When Redis fails, {@code switchboard.metering.redis-failure} decides: allow (counted in
 * {@code switchboard_rate_limit_store_failures_total}, logged once) or refuse with 503.
 */
class RedisRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);
    static final String KEY_PREFIX = "switchboard:bucket:";
    private static final String SCRIPT = script();

    private static final long RECONNECT_PAUSE_NANOS = Duration.ofSeconds(5).toNanos();

    private final RedisClient client;
    private final MeteringProperties.RedisFailure failurePolicy;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile String scriptSha;
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

    @Override
    public RateDecision consume(List<Bucket> buckets, long tokens) {
        try {
            RateDecision decision = run("consume", buckets, tokens);
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
            Limit first = buckets.getFirst().limit();
            return new RateDecision(true, first, first.capacity(), 0, 0);
        }
    }

    @Override
    public void refund(Limit limit, String key, long tokens) {
        adjust("refund", limit, key, tokens);
    }

    @Override
    public void charge(Limit limit, String key, long tokens) {
        adjust("charge", limit, key, tokens);
    }

    /** A settlement Redis could not take is counted and logged; it never fails the call that already happened. */
    private void adjust(String mode, Limit limit, String key, long tokens) {
        try {
            run(mode, List.of(new Bucket(limit, key)), tokens);
        }
        catch (RuntimeException ex) {
            failures.increment();
            log.warn("Could not {} {} tokens of {} in Redis ({})", mode, tokens, limit.name(), ex.getClass().getSimpleName());
        }
    }

    private RateDecision run(String mode, List<Bucket> buckets, long tokens) {
        String[] keys = new String[buckets.size()];
        String[] arguments = new String[2 + 2 * buckets.size()];
        arguments[0] = mode;
        arguments[1] = Long.toString(tokens);
        for (int i = 0; i < buckets.size(); i++) {
            Limit limit = buckets.get(i).limit();
            keys[i] = KEY_PREFIX + limit.name() + ':' + buckets.get(i).key();
            arguments[2 + 2 * i] = Long.toString(limit.capacity());
            arguments[3 + 2 * i] = Long.toString(limit.period().toNanos() / 1_000);
        }
        List<Object> result = evaluate(keys, arguments);
        boolean allowed = "1".equals(result.getFirst());
        List<RateDecision> decisions = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            double level = Double.parseDouble((String) result.get(i + 1));
            if (allowed || level < tokens) {
                decisions.add(RateDecisions.of(buckets.get(i).limit(), allowed, level, tokens));
            }
        }
        return RateDecisions.closestToRefusal(decisions);
    }

    private List<Object> evaluate(String[] keys, String[] arguments) {
        RedisCommands<String, String> redis = connection().sync();
        String sha = scriptSha;
        if (sha != null) {
            try {
                return redis.evalsha(sha, ScriptOutputType.MULTI, keys, arguments);
            }
            catch (RedisNoScriptException ex) {
                // Redis restarted or its script cache was flushed: load the script again below.
            }
        }
        scriptSha = redis.scriptLoad(SCRIPT);
        return redis.evalsha(scriptSha, ScriptOutputType.MULTI, keys, arguments);
    }

    /**
     * Connects on first use, not at start-up: Switchboard starts while Redis is down, and after a failed
     * connection waits a few seconds before trying again instead of paying a connect on every request.
     */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection == null) {
                if (System.nanoTime() - nextConnectAttempt < 0) {
                    throw new IllegalStateException("Redis connection failed recently");
                }
                try {
                    StatefulRedisConnection<String, String> connected = client.connect(StringCodec.UTF8);
                    connected.setTimeout(Duration.ofSeconds(2));
                    connection = connected;
                }
                catch (RuntimeException ex) {
                    nextConnectAttempt = System.nanoTime() + RECONNECT_PAUSE_NANOS;
                    throw ex;
                }
            }
            return connection;
        }
    }

    private static String script() {
        try (InputStream in = RedisRateLimiter.class.getClassLoader().getResourceAsStream("metering/token-buckets.lua")) {
            if (in == null) {
                throw new IllegalStateException("metering/token-buckets.lua is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
