package dev.switchboard.identity.internal.password;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Bounds how many password hashes run at once. Requests run on virtual threads, so nothing else would: the 1,000-user
 * load run (bench/RESULTS.md, 2026-12-05) had a burst of sign-ins run that many Argon2 hashes (12 MiB each) at once on
 * 2 cores, starving the threads that held database connections (122 pool time-outs). A fair semaphore lets at most
 * {@code maxConcurrent} hashes run; a caller waits for a slot at most {@code maxWait} and is otherwise refused with 503
 * and a {@code Retry-After} estimated from the queue and the measured hash time.
 */
public final class PasswordHashingSlots {

    /** The problem type of a refusal. */
    public static final String BUSY = "password-hashing-busy";

    private final Semaphore slots;
    private final int maxConcurrent;
    private final Duration maxWait;
    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    /** Mean time of a hash in microseconds, an exponentially weighted average (0 before the first). */
    private final AtomicLong meanMicros = new AtomicLong();
    private final Counter refused;

    public PasswordHashingSlots(int maxConcurrent, Duration maxWait, Clock clock, MeterRegistry meters) {
        if (maxConcurrent < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("password hashing needs at least one slot and a wait of zero or more");
        }
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxConcurrent = maxConcurrent;
        this.maxWait = maxWait;
        this.clock = clock;
        Gauge.builder("switchboard.password_hashing.in_flight", inFlight, AtomicInteger::get)
                .description("Password hashes (Argon2) running now").register(meters);
        Gauge.builder("switchboard.password_hashing.waiting", waiting, AtomicInteger::get)
                .description("Requests waiting for a password-hashing slot").register(meters);
        Gauge.builder("switchboard.password_hashing.peak", peak, AtomicInteger::get)
                .description("Most password hashes that ran at once since start").register(meters);
        Gauge.builder("switchboard.password_hashing.limit", () -> maxConcurrent)
                .description("Password hashes allowed to run at once").register(meters);
        this.refused = Counter.builder("switchboard.password_hashing.refused")
                .description("Requests refused (503) for want of a password-hashing slot in time").register(meters);
    }

    /** A held slot; closing it gives it back and records how long it was held. */
    public final class Slot implements AutoCloseable {

        private final Instant start = clock.instant();
        private boolean closed;

        private Slot() {
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            long micros = Math.max(0, Duration.between(start, clock.instant()).toNanos() / 1000);
            meanMicros.updateAndGet(mean -> mean == 0 ? micros : (mean * 7 + micros) / 8);
            inFlight.decrementAndGet();
            slots.release();
        }
    }

    /**
     * Waits up to the maximum wait for a slot.
     *
     * @throws SwitchboardException 503 {@value #BUSY} with {@code Retry-After} when none came free in time
     */
    public Slot acquire() {
        waiting.incrementAndGet();
        boolean acquired;
        try {
            acquired = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        finally {
            waiting.decrementAndGet();
        }
        if (!acquired) {
            refused.increment();
            throw busy();
        }
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return new Slot();
    }

    /**
     * Seconds after which a refused caller may expect a slot: the hashes queued now (the caller's included) spread
     * over the slots at the measured mean time per hash, at least 1.
     */
    public long retryAfterSeconds() {
        double seconds = (waiting.get() + 1) * (meanMicros.get() / 1e6) / maxConcurrent;
        return Math.max(1, (long) Math.ceil(seconds));
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int waiting() {
        return waiting.get();
    }

    public int peak() {
        return peak.get();
    }

    private SwitchboardException busy() {
        long retryAfter = retryAfterSeconds();
        SwitchboardException busy = new SwitchboardException(HttpStatus.SERVICE_UNAVAILABLE, BUSY,
                "The server is checking too many passwords at once; retry after " + retryAfter + " s.");
        busy.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
        return busy;
    }
}
