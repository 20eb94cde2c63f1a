package dev.switchboard.knowledge.internal.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BgeSmallEmbedderTests {

    static BgeSmallEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = new BgeSmallEmbedder(2);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static double dot(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void closingWhileOthersEmbedWaitsForThemAndRefusesLaterCalls() throws Exception {
        BgeSmallEmbedder closing = new BgeSmallEmbedder(2);
        List<String> texts = IntStream.range(0, 64).mapToObj(i -> "Passage " + i + " on shutting down while embedding").toList();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> calls = IntStream.range(0, 3).mapToObj(i -> callers.submit(() -> {
                int done = 0;
                try {
                    while (true) {
                        done += closing.embedDocuments(texts).size() + (closing.embedQuery("shutdown " + done) == null ? 0 : 1);
                    }
                }
                catch (IllegalStateException refused) {
                    assertThat(refused).hasMessageContaining("was closed");
                    return done;
                }
            })).toList();
            await().until(() -> calls.stream().noneMatch(Future::isDone));
            closing.close();
            for (Future<Integer> call : calls) {
                assertThat(call.get()).as("each caller embedded until the close refused it").isGreaterThanOrEqualTo(0);
            }
        }
        finally {
            callers.shutdownNow();
        }
        assertThatIllegalStateException().isThrownBy(() -> closing.embedQuery("after"))
                .withMessageContaining("was closed");
    }

    @Test
    void aCallerInterruptedWhileItsTextsAreOnTheWorkersDoesNotLetTheCloseFreeTheirSession() throws Exception {
        BgeSmallEmbedder closing = new BgeSmallEmbedder(2);
        List<String> texts = IntStream.range(0, 200).mapToObj(i -> "Passage " + i + " embedded while the replica stops").toList();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                closing.embedDocuments(texts);
            }
            catch (RuntimeException interrupted) {
                // what a job stopped at shutdown sees
            }
        });
        await().until(() -> caller.getState() == Thread.State.WAITING
                || caller.getState() == Thread.State.TIMED_WAITING || !caller.isAlive());
        caller.interrupt();
        caller.join();

        closing.close(); // before: the workers' inferences went on in the freed session, and the JVM crashed (SIGSEGV)

        assertThatIllegalStateException().isThrownBy(() -> closing.embedQuery("after"))
                .withMessageContaining("was closed");
    }

    @Test
    void vectorsHaveTheModelsDimensionAndUnitLength() {
        assertThat(embedder.modelId()).isEqualTo("bge-small-en-v1.5-q");
        List<float[]> vectors = embedder.embedDocuments(List.of("Lucene is a search library.", "Cats sleep a lot."));
        assertThat(vectors).hasSize(2).allSatisfy(vector -> {
            assertThat(vector).hasSize(embedder.dimension());
            assertThat(dot(vector, vector)).isCloseTo(1.0, within(1e-4));
        });
        assertThat(dot(embedder.embedQuery("search library"), embedder.embedQuery("search library"))).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void batchesKeepTheirOrderAndEqualSingleEmbeddings() {
        List<String> texts = IntStream.range(0, 12).mapToObj(i -> "Passage number " + i + " about topic " + (char) ('a' + i)).toList();
        List<float[]> batch = embedder.embedDocuments(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(batch.get(i), embedder.embedDocuments(List.of(texts.get(i))).getFirst())).isCloseTo(1.0, within(1e-5));
        }
        assertThat(embedder.embedDocuments(List.of())).isEmpty();
    }

    @Test
    void queriesCarryTheRetrievalInstructionAndFindTheirPassage() {
        String question = "How do I install the server on Linux?";
        float[] query = embedder.embedQuery(question);
        float[] asPassage = embedder.embedDocuments(List.of(question)).getFirst();
        assertThat(dot(query, asPassage)).isLessThan(0.99);

        List<float[]> passages = embedder.embedDocuments(List.of("To install on Linux, run the installer script as root.",
                "Our cafeteria serves soup on Fridays."));
        assertThat(dot(query, passages.get(0))).isGreaterThan(dot(query, passages.get(1)) + 0.1);
    }

    @Test
    void concurrentCallersGetCorrectVectors() throws Exception {
        float[] expected = embedder.embedDocuments(List.of("Concurrency check passage.")).getFirst();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = IntStream.range(0, 8)
                    .mapToObj(i -> callers.submit(() -> embedder.embedDocuments(List.of("Concurrency check passage.", "Other text " + i))))
                    .toList();
            for (Future<List<float[]>> result : results) {
                assertThat(dot(result.get().getFirst(), expected)).isCloseTo(1.0, within(1e-5));
            }
        }
        finally {
            callers.shutdownNow();
        }
    }

    @Test
    void queriesAskedFromVirtualThreadsRunOnTheQueryThreadsWithTheSameVectors() throws Exception {
        float[] expected = embedder.embedQuery("virtual thread query");
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = IntStream.range(0, 8).mapToObj(i -> callers.submit(() -> embedder.embedQuery(
                    "virtual thread query"))).toList();
            for (Future<float[]> result : results) {
                assertThat(dot(result.get(), expected)).isCloseTo(1.0, within(1e-5));
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).as("the inferences ran on the query threads, not on the carriers")
                .anySatisfy(thread -> assertThat(thread.getName()).startsWith("query-embedding-"));
    }

    @Test
    void closingWaitsForAQueryOnTheQueryThreadsAndRefusesLaterOnes() throws Exception {
        BgeSmallEmbedder closing = new BgeSmallEmbedder(1);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> calls = IntStream.range(0, 3).mapToObj(i -> callers.submit(() -> {
                int done = 0;
                try {
                    while (true) {
                        closing.embedQuery("query " + done++);
                    }
                }
                catch (IllegalStateException refused) {
                    assertThat(refused).hasMessageContaining("was closed");
                    return done;
                }
            })).toList();
            await().until(() -> calls.stream().noneMatch(Future::isDone));
            closing.close();
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isPositive();
            }
        }
        assertThatIllegalStateException().isThrownBy(() -> closing.embedQuery("after")).withMessageContaining("was closed");
    }
}
