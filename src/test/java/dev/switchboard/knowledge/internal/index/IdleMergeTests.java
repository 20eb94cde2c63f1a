package dev.switchboard.knowledge.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class IdleMergeTests {

    @Test
    void closingDoesNotInterruptAMergeInProgress() throws Exception {
        CountDownLatch merging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        IdleMerge idle = IdleMerge.after(Duration.ofMillis(10), () -> {
            merging.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
                interrupted.complete(Thread.currentThread().isInterrupted());
            }
            catch (InterruptedException ex) {
                interrupted.complete(true);
            }
        });

        assertThat(merging.await(30, TimeUnit.SECONDS)).as("the merge started once idle").isTrue();
        idle.close();
        release.countDown();

        assertThat(interrupted.get(30, TimeUnit.SECONDS)).as("an interrupt during Lucene's I/O would close its lock file's channel")
                .isFalse();
    }

    @Test
    void aZeroIdleTimeMeansNoMerging() {
        assertThat(IdleMerge.after(Duration.ZERO, () -> {})).isNull();
    }
}
