package dev.switchboard.chat.internal.turn;

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

import dev.switchboard.shared.Sleeper;

/**
 * Writes of a finished turn, retried while the database's trouble is passing (no connection in time, a
 * serialisation failure, a dropped connection): by then the model has answered and the tokens are spent, so
 * the write is worth a few seconds — 4 retries after about 0.1, 0.3, 0.9 and 2 s. Each attempt is its own
 * transaction, so a retry never doubles a turn. The waits go through the {@link Sleeper}, so tests count them
 * instead of sitting through them.
 */
@Component
class DurableWrites {

    /** Which failures are retried, and the back-off between attempts. */
    static final RetryPolicy POLICY = RetryPolicy.builder()
            .includes(TransientDataAccessException.class, RecoverableDataAccessException.class,
                    DataAccessResourceFailureException.class, CannotCreateTransactionException.class)
            .maxRetries(4)
            .delay(Duration.ofMillis(100))
            .multiplier(3)
            .jitter(Duration.ofMillis(50))
            .maxDelay(Duration.ofSeconds(2))
            .build();

    private final RetryPolicy policy;
    private final Sleeper sleeper;

    @Autowired
    DurableWrites(Sleeper sleeper) {
        this(POLICY, sleeper);
    }

    DurableWrites(RetryPolicy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    /**
     * The write's result, after as many attempts as the policy allows. The last failure is thrown when none
     * succeeds, with the earlier ones suppressed in it; a failure the policy does not retry is thrown at once.
     */
    <T> T write(Supplier<T> write) {
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
