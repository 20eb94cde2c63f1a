package dev.switchboard.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.switchboard.knowledge.internal.embedding.BgeSmallEmbedder;

/** The in-process model is loaded at the first embedding, not when the bean is built at start-up, and only once. */
class LazyEmbedderTests {

    @Test
    void theModelLoadsOnceAtTheFirstEmbedding() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        try (LazyEmbedder embedder = new LazyEmbedder(() -> {
            loads.incrementAndGet();
            return new BgeSmallEmbedder();
        })) {
            assertThat(embedder.modelId()).isEqualTo(BgeSmallEmbedder.MODEL_ID);
            assertThat(loads).as("naming the model loads nothing").hasValue(0);
            Callable<float[]> query = () -> embedder.embedQuery("which provider answers first");
            try (var threads = Executors.newFixedThreadPool(3)) {
                List<Future<float[]>> vectors = threads.invokeAll(List.of(query, query, query));
                for (Future<float[]> vector : vectors) {
                    assertThat(vector.get()).hasSize(embedder.dimension()).isEqualTo(vectors.getFirst().get());
                }
            }
            assertThat(loads).as("three concurrent first uses, one load").hasValue(1);
        }
    }

    @Test
    void closingAnUnusedModelLoadsNothing() {
        AtomicInteger loads = new AtomicInteger();
        new LazyEmbedder(() -> {
            loads.incrementAndGet();
            return new BgeSmallEmbedder();
        }).close();
        assertThat(loads).hasValue(0);
    }
}
