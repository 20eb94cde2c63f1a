package dev.switchboard.knowledge.internal.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** The native tokenizer is loaded at the first count (not when the chunker is built at start-up), once. */
class WordPieceTokenCounterTests {

    @Test
    void theTokenizerLoadsAtTheFirstCountNotBefore() {
        WordPieceTokenCounter counter = new WordPieceTokenCounter();
        assertThat(counter.loaded()).isFalse();
        assertThat(counter.count("   ")).isZero();
        assertThat(counter.loaded()).as("a blank text needs no tokenizer").isFalse();
        assertThat(counter.count("Switchboard routes turns")).isGreaterThanOrEqualTo(3);
        assertThat(counter.loaded()).isTrue();
    }

    @Test
    void concurrentFirstCountsAgree() throws Exception {
        WordPieceTokenCounter counter = new WordPieceTokenCounter();
        Callable<Integer> count = () -> counter.count("the first healthy provider of the chain answers");
        try (var threads = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> counts = threads.invokeAll(List.of(count, count, count, count));
            int expected = counts.getFirst().get();
            assertThat(expected).isGreaterThan(5);
            for (Future<Integer> each : counts) {
                assertThat(each.get()).isEqualTo(expected);
            }
        }
    }
}
