package bench;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.switchboard.metering.Bucket;
import dev.switchboard.metering.Limit;
import dev.switchboard.metering.RateDecision;
import dev.switchboard.metering.RateLimiter;

/**
 * The in-process rate-limit decision for a request made with an API key (bench/rate-limit.sh): the key's bucket and
 * its user's, all or nothing, through Switchboard's own {@code LocalRateLimiter} (the limiter used without Redis;
 * package-private, so created by reflection) — bucket look-up in its cache, the monitors taken in name order, the
 * estimate and the take, the decision closest to refusal. Baselines in the same run: the same limiter on one bucket,
 * and Bucket4j alone taking a token from each of two buckets it already holds (no look-up, no monitors, no decision).
 * The limits hold far more tokens than a run takes, so every decision is an allowed one (checked after each
 * iteration).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class RateLimitBench {

    private static final long CAPACITY = 1_000_000_000L;

    private RateLimiter limiter;

    private List<Bucket> keyAndUser;

    private List<Bucket> keyOnly;

    private io.github.bucket4j.Bucket bareKey;

    private io.github.bucket4j.Bucket bareUser;

    private RateDecision last;

    @Setup
    public void create() throws ReflectiveOperationException {
        Constructor<?> constructor = Class.forName("dev.switchboard.metering.internal.LocalRateLimiter").getDeclaredConstructor();
        constructor.setAccessible(true);
        this.limiter = (RateLimiter) constructor.newInstance();
        Limit tier = new Limit("tier-bench", CAPACITY, Duration.ofMinutes(1));
        Limit user = new Limit("user-bench", CAPACITY, Duration.ofMinutes(1));
        this.keyAndUser = List.of(new Bucket(tier, "key:bench"), new Bucket(user, "user:bench"));
        this.keyOnly = List.of(new Bucket(tier, "key:bench-alone"));
        this.bareKey = bare();
        this.bareUser = bare();
    }

    private static io.github.bucket4j.Bucket bare() {
        return io.github.bucket4j.Bucket.builder().addLimit(l -> l.capacity(CAPACITY).refillGreedy(CAPACITY, Duration.ofMinutes(1)))
                .build();
    }

    /** {@code LocalRateLimiter.consume} on the key's and the user's bucket: the decision Switchboard makes per request. */
    @Benchmark
    public RateDecision localKeyAndUser() {
        return this.last = this.limiter.consume(this.keyAndUser, 1);
    }

    /** Baseline: the same limiter on one bucket. */
    @Benchmark
    public RateDecision localOneBucket() {
        return this.last = this.limiter.consume(this.keyOnly, 1);
    }

    /** Baseline: Bucket4j alone, a token from each of two buckets held in fields. */
    @Benchmark
    public long bucket4jTwoBuckets() {
        return this.bareKey.tryConsumeAndReturnRemaining(1).getRemainingTokens() + this.bareUser.tryConsumeAndReturnRemaining(1)
                .getRemainingTokens();
    }

    @TearDown(Level.Iteration)
    public void allowed() {
        if (this.last != null && !this.last.allowed()) {
            throw new IllegalStateException("a decision was refused; the figures would not be those of an allowed request: " + this.last);
        }
    }

}
