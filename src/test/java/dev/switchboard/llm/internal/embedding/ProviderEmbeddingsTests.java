package dev.switchboard.llm.internal.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.shared.Sleeper;
import dev.switchboard.support.RecordingSleeper;

/**
 * Which provider kinds embed, how many texts each takes in one call, and how each kind's client (OkHttp for OpenAI and
 * Gemini, the JDK client for Ollama) ends a request that gets no answer: in time, retried; interrupted, at once.
 */
class ProviderEmbeddingsTests {

    final ProviderConnections connections = new ProviderConnections(new OutboundConnections(
            new OutboundAddressPolicy(List.of("127.0.0.1/32")), OutboundResolver.SYSTEM));
    final ProviderEmbeddings embeddings = new ProviderEmbeddings(connections, Sleeper.THREAD, Clock.systemUTC());
    final FakeEmbeddingServer server = FakeEmbeddingServer.start();
    /** Opened at the end of each test, so that held answers end. */
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    static EmbeddingClients.Target target(String kind) {
        return target(kind, "http://127.0.0.1:9", Duration.ofSeconds(1), 0);
    }

    static EmbeddingClients.Target target(String kind, String baseUrl, Duration timeout, int maxRetries) {
        return new EmbeddingClients.Target(kind, baseUrl, "embed-small", null, "sk-secret-123", timeout, maxRetries,
                "switchboard.knowledge.embedding");
    }

    static String baseUrl(String kind, FakeEmbeddingServer server) {
        return kind.equals("openai") ? server.baseUrl() + "/v1" : server.baseUrl();
    }

    @Test
    void openAiOllamaAndGeminiEmbedAndGeminiTakesAHundredTextsACall() {
        try (EmbeddingClients.Client openai = embeddings.connect(target("openai"));
                EmbeddingClients.Client ollama = embeddings.connect(target("ollama"));
                EmbeddingClients.Client gemini = embeddings.connect(target("gemini"))) {
            assertThat(openai.maxBatch()).isEqualTo(Integer.MAX_VALUE);
            assertThat(ollama.maxBatch()).isEqualTo(Integer.MAX_VALUE);
            assertThat(gemini.maxBatch()).isEqualTo(100);
        }
    }

    @Test
    void anthropicHasNoEmbeddingApi() {
        assertThatThrownBy(() -> embeddings.connect(target("anthropic"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Anthropic has no embedding API");
    }

    @Test
    void theTargetNeverShowsItsKey() {
        assertThat(target("openai").toString()).doesNotContain("sk-secret-123").contains("openai");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "ollama"})
    void anAnswerLaterThanTheTimeoutIsRetriedThenATransientFailure(String kind) {
        server.always(FakeEmbeddingServer.Answer.held(release));
        RecordingSleeper sleeps = new RecordingSleeper();
        ProviderEmbeddings recorded = new ProviderEmbeddings(connections, sleeps, Clock.systemUTC(), new Random(18), Duration.ofMillis(10));
        try (EmbeddingClients.Client client = recorded.connect(target(kind, baseUrl(kind, server), Duration.ofMillis(300), 1))) {
            assertThatThrownBy(() -> client.embed(List.of("Holidays"), false)).isInstanceOfSatisfying(EmbeddingClients.Failed.class,
                    failed -> {
                        assertThat(failed.permanent()).isFalse();
                        assertThat(failed.getMessage()).contains("failed 2 times", "no answer");
                    });
        }
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps.waits()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "ollama"})
    void anInterruptEndsTheRequestAtOnceWithoutRetrying(String kind) {
        server.always(FakeEmbeddingServer.Answer.held(release));
        try (EmbeddingClients.Client client = embeddings.connect(target(kind, baseUrl(kind, server), Duration.ofSeconds(60), 3))) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    client.embed(List.of("Holidays"), false);
                    failure.complete(null);
                }
                catch (RuntimeException ex) {
                    failure.complete(ex);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> server.received().size() == 1);
            caller.interrupt();
            assertThat(failure.join()).isInstanceOfSatisfying(EmbeddingClients.Failed.class, failed -> {
                assertThat(failed.permanent()).isFalse();
                assertThat(failed.getMessage()).contains("was interrupted");
            });
        }
        assertThat(server.received()).as("not retried").hasSize(1);
    }
}
