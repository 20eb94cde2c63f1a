package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

/** A finished turn's write outlasts a passing database fault, without waiting in real time here. */
class DurableWritesTests {

    final List<Duration> waits = new ArrayList<>();
    final DurableWrites writes = new DurableWrites(waits::add);
    final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aWriteThatSucceedsIsNotRepeated() {
        assertThat(writes.write(() -> attempts.incrementAndGet())).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aPassingFaultIsRetriedAfterAGrowingBackOff() {
        String written = writes.write(() -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new CannotAcquireLockException("could not serialize access");
            }
            return "stored";
        });

        assertThat(written).isEqualTo("stored");
        assertThat(attempts).hasValue(3);
        assertThat(waits).hasSize(2);
        // 100 ms, then 300 ms, each with a jitter of 50 ms per 100 ms of wait (never under the first wait).
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(150), Duration.ofMillis(450));
    }

    @Test
    void aFaultThatDoesNotPassFailsAfterFourRetriesWithEveryFailureKept() {
        assertThatThrownBy(() -> writes.write(() -> {
            throw new CannotCreateTransactionException("no connection #" + attempts.incrementAndGet());
        })).isInstanceOf(CannotCreateTransactionException.class).hasMessage("no connection #5")
                .satisfies(last -> assertThat(last.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("no connection #1", "no connection #2", "no connection #3", "no connection #4"));

        assertThat(waits).hasSize(4);
        assertThat(waits.getLast()).as("capped").isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("a few seconds in all")
                .isBetween(Duration.ofMillis(1_700), Duration.ofMillis(3_950));
    }

    @Test
    void aFailureThatRetryingCannotFixIsThrownAtOnce() {
        assertThatThrownBy(() -> writes.write(() -> {
            attempts.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key");
        })).isInstanceOf(DataIntegrityViolationException.class);

        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void anInterruptedBackOffGivesUpWithTheFailureAndKeepsTheInterrupt() {
        Sleeper interrupted = duration -> {
            throw new InterruptedException();
        };
        DurableWrites interruptedWrites = new DurableWrites(interrupted);

        assertThatThrownBy(() -> interruptedWrites.write(() -> {
            throw new CannotAcquireLockException("attempt " + attempts.incrementAndGet());
        })).hasMessage("attempt 1").satisfies(failure -> assertThat(failure.getSuppressed()).isEmpty());

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aPatientWriterWaitsOutALongerFaultAndTellsWhatItRetries() {
        DurableWrites patient = writes.patient();
        assertThatThrownBy(() -> patient.write(() -> {
            throw new CannotCreateTransactionException("no connection #" + attempts.incrementAndGet());
        })).hasMessage("no connection #10");

        assertThat(waits).hasSize(9);
        assertThat(waits.getLast()).as("capped").isLessThanOrEqualTo(Duration.ofSeconds(5));
        // 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, then 5 s three times, each within its jitter of 50 ms per 100 ms of wait (never
        // under the first wait, never over the cap): 10.7 to 24.45 s in all, about 18 s on average.
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).as("11 to 24 s in all")
                .isBetween(Duration.ofMillis(10_700), Duration.ofMillis(24_450));
        assertThat(patient.retries(new CannotAcquireLockException("serialisation failure"))).isTrue();
        assertThat(patient.retries(new DataIntegrityViolationException("check violation"))).isFalse();
    }
}
