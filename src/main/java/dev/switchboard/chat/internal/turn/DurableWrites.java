package dev.switchboard.chat.internal.turn;

import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Writes of a finished turn, retried while the database's trouble is passing (no connection in time, a
 * serialisation failure, a dropped connection): by then the model has answered and the tokens are spent, so
 * the write is worth a few seconds. Each attempt is its own transaction, so a retry never doubles a turn.
 */
@Component
class DurableWrites {

    private final RetryTemplate retries;

    DurableWrites() {
        this(RetryPolicy.builder()
                .includes(TransientDataAccessException.class, RecoverableDataAccessException.class,
                        DataAccessResourceFailureException.class, CannotCreateTransactionException.class)
                .maxRetries(4)
                .delay(Duration.ofMillis(100))
                .multiplier(3)
                .jitter(Duration.ofMillis(50))
                .maxDelay(Duration.ofSeconds(2))
                .build());
    }

    DurableWrites(RetryPolicy policy) {
        this.retries = new RetryTemplate(policy);
    }

    <T> T write(Supplier<T> write) {
        try {
            return retries.execute(write::get);
        }
        catch (RetryException ex) {
            if (ex.getCause() instanceof RuntimeException last) {
                for (Throwable earlier : ex.getSuppressed()) {
                    if (earlier != last) {
                        last.addSuppressed(earlier);
                    }
                }
                throw last;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }
}
