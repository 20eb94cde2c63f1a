package dev.switchboard.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Writes that must outlast a passing database fault (no connection in time, a serialisation failure, a dropped
 * connection), retried with a growing back-off — by default 4 retries after about 0.1, 0.3, 0.9 and 2 s, what a
 * finished chat turn's write is worth (the model has answered, the tokens are spent); {@link #patient} writers such as
 * the audit log's wait longer. Each attempt must be its own transaction, so a retry never doubles a write. The waits go
 * through the {@link Sleeper}, so tests count them instead of sitting through them.
 */
@Component
public class DurableWrites {

    /** Which failures are retried, and the back-off between attempts. */
    public static final RetryPolicy POLICY = passingFaults(4, 3, Duration.ofSeconds(2));

    /**
     * The same failures retried for 11 to 24 s, about 18 s on average (0.1 s doubling to at most 5 s between attempts, 9
     * retries; the jitter grows with the wait: 50 ms per 100 ms).
     */
    public static final RetryPolicy PATIENT_POLICY = passingFaults(9, 2, Duration.ofSeconds(5));

    private static RetryPolicy passingFaults(int retries, double multiplier, Duration maxDelay) {
        return RetryPolicy.builder()
                .includes(TransientDataAccessException.class, RecoverableDataAccessException.class,
                        DataAccessResourceFailureException.class, CannotCreateTransactionException.class)
                .maxRetries(retries)
                .delay(Duration.ofMillis(100))
                .multiplier(multiplier)
                .jitter(Duration.ofMillis(50))
                .maxDelay(maxDelay)
                .build();
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    @Autowired
    public DurableWrites(Sleeper sleeper) {
        this(POLICY, sleeper);
    }

    public DurableWrites(RetryPolicy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    /**
     * The write's result, after as many attempts as the policy allows. The last failure is thrown when none
     * succeeds, with the earlier ones suppressed in it; a failure the policy does not retry is thrown at once.
     */
    public <T> T write(Supplier<T> write) {
        BackOffExecution backOff = policy.getBackOff().start();
        List<RuntimeException> earlier = new ArrayList<>();
        while (true) {
            try {
                return write.get();
            }
            catch (RuntimeException failure) {
                long wait = policy.shouldRetry(failure) ? backOff.nextBackOff() : BackOffExecution.STOP;
                if (wait == BackOffExecution.STOP) {
                    throw withEarlier(failure, earlier);
                }
                earlier.add(failure);
                pause(Duration.ofMillis(wait), failure, earlier);
            }
        }
    }

    /** Whether {@code failure} is one this writer's policy retries (a passing fault, not a defect of the write). */
    public boolean retries(Throwable failure) {
        return policy.shouldRetry(failure);
    }

    /** The same writes with {@link #PATIENT_POLICY}, for writers off the request path. */
    public DurableWrites patient() {
        return new DurableWrites(PATIENT_POLICY, sleeper);
    }

    private void pause(Duration wait, RuntimeException failure, List<RuntimeException> earlier) {
        try {
            sleeper.sleep(wait);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            earlier.remove(failure);
            throw withEarlier(failure, earlier);
        }
    }

    private static RuntimeException withEarlier(RuntimeException last, List<RuntimeException> earlier) {
        for (RuntimeException failure : earlier) {
            if (failure != last) {
                last.addSuppressed(failure);
            }
        }
        return last;
    }
}
