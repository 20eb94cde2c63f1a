package dev.switchboard.knowledge.internal.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.fakellm.FakeEmbeddingServer.Answer;
import dev.switchboard.fakellm.FakeEmbeddingServer.Received;
import dev.switchboard.llm.internal.embedding.ProviderEmbeddings;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.support.RecordingSleeper;

/** The remote embedders against a real HTTP server speaking each provider's embedding API. */
class RemoteEmbedderTests {

    static final FakeEmbeddingServer SERVER = FakeEmbeddingServer.start();
    static final String KEY = "sk-test-key-0123456789";

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    /** The fake server listens on loopback: the one range opened. */
    static final ProviderConnections CONNECTIONS = new ProviderConnections(new OutboundConnections(
            new OutboundAddressPolicy(List.of("127.0.0.1/32")), OutboundResolver.SYSTEM));

    @BeforeEach
    void reset() {
        SERVER.reset();
        SLEEPS.clear();
    }

    static EmbeddingSettings settings(EmbeddingProvider provider, String baseUrl, Integer dimensions, int batchSize, int maxRetries,
            String queryPrefix, String documentPrefix) {
        return new EmbeddingSettings(provider, "embed-small", baseUrl, KEY, dimensions, batchSize, Duration.ofSeconds(5), maxRetries,
                queryPrefix, documentPrefix);
    }

    /** The retries' waits, recorded rather than sat through. */
    static final RecordingSleeper SLEEPS = new RecordingSleeper();

    static RemoteEmbedder embedder(EmbeddingSettings settings) {
        return RemoteEmbedder.create(settings, new ProviderEmbeddings(CONNECTIONS, SLEEPS, Clock.systemUTC(), new Random(18),
                Duration.ofMillis(10)));
    }

    static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "Text number " + i + " about holidays and expenses").toList();
    }

    @Test
    void openAiFormatInBatchesWithTheKeyAsBearerAndUnitVectorsInOrder() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OPENAI, SERVER.baseUrl() + "/v1/", 32, 2, 0, "", ""))) {
            List<float[]> vectors = embedder.embedDocuments(texts(5));

            assertThat(vectors).hasSize(5);
            List<Received> requests = SERVER.received();
            assertThat(requests).extracting(Received::path).containsOnly("/v1/embeddings");
            assertThat(requests).extracting(r -> r.texts().size()).containsExactly(2, 2, 1);
            assertThat(requests.getFirst().body().path("model").asString()).isEqualTo("embed-small");
            assertThat(requests.getFirst().body().path("dimensions").asInt()).isEqualTo(32);
            assertThat(requests.getFirst().header("Authorization")).isEqualTo("Bearer " + KEY);
            for (int i = 0; i < 5; i++) {
                assertUnitAndParallel(vectors.get(i), FakeEmbeddingServer.embed("embed-small", texts(5).get(i), 32));
            }
            assertThat(embedder.dimension()).isEqualTo(32);
            assertThat(embedder.modelId()).isEqualTo("openai:embed-small@32");
        }
    }

    @Test
    void ollamaFormatWithInstructionPrefixesForDocumentsAndQueries() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OLLAMA, SERVER.baseUrl(), null, 16, 0,
                "search_query: ", "search_document: "))) {
            List<float[]> documents = embedder.embedDocuments(List.of("Holidays are 27 days"));
            float[] query = embedder.embedQuery("  how many holidays?  ");

            assertThat(SERVER.received()).extracting(Received::path).containsOnly("/api/embed");
            assertThat(SERVER.received().get(0).texts()).containsExactly("search_document: Holidays are 27 days");
            assertThat(SERVER.received().get(1).texts()).containsExactly("search_query: how many holidays?");
            assertThat(SERVER.received().get(0).body().has("dimensions")).isFalse();
            assertUnitAndParallel(documents.getFirst(), FakeEmbeddingServer.embed("embed-small", "search_document: Holidays are 27 days",
                    FakeEmbeddingServer.DEFAULT_DIMENSION));
            assertUnitAndParallel(query, FakeEmbeddingServer.embed("embed-small", "search_query: how many holidays?",
                    FakeEmbeddingServer.DEFAULT_DIMENSION));
            assertThat(embedder.modelId()).startsWith("ollama:embed-small#").hasSize("ollama:embed-small#".length() + 8);
        }
    }

    @Test
    void geminiFormatWithTheKeyInAHeaderAndTaskTypes() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.GEMINI, SERVER.baseUrl(), 16, 500, 0, "", ""))) {
            embedder.embedDocuments(texts(3));
            embedder.embedQuery("holidays");

            Received batch = SERVER.received().get(0);
            assertThat(batch.path()).isEqualTo("/v1beta/models/embed-small:batchEmbedContents");
            assertThat(batch.header("x-goog-api-key")).isEqualTo(KEY);
            assertThat(batch.header("Authorization")).isNull();
            assertThat(batch.body().path("requests")).hasSize(3);
            assertThat(batch.body().path("requests").get(0).path("model").asString()).isEqualTo("models/embed-small");
            assertThat(batch.body().path("requests").get(0).path("taskType").asString()).isEqualTo("RETRIEVAL_DOCUMENT");
            assertThat(batch.body().path("requests").get(0).path("outputDimensionality").asInt()).isEqualTo(16);
            assertThat(SERVER.received().get(1).body().path("requests").get(0).path("taskType").asString()).isEqualTo("RETRIEVAL_QUERY");
        }
    }

    @Test
    void geminiBatchesAtMostAHundredTexts() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.GEMINI, SERVER.baseUrl(), null, 500, 0, "", ""))) {
            assertThat(embedder.embedDocuments(texts(150))).hasSize(150);
            assertThat(SERVER.received()).extracting(r -> r.texts().size()).containsExactly(100, 50);
        }
    }

    @Test
    void retriesOn429And503AndWaitsForRetryAfter() {
        SERVER.then(Answer.status(429, "1"), Answer.status(503), Answer.ok());
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OPENAI, SERVER.baseUrl() + "/v1", null, 8, 3, "", ""))) {
            assertThat(embedder.embedDocuments(texts(2))).hasSize(2);
        }
        assertThat(SERVER.received()).hasSize(3);
        assertThat(SLEEPS.waits()).hasSize(2);
        assertThat(SLEEPS.waits().getFirst()).as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(SLEEPS.waits().getLast()).as("the backoff's first doubling").isLessThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void aRetryAfterLongerThanAMinuteFailsTheAttemptForTheJobToRetryLater() {
        SERVER.always(Answer.status(429, "3600"));
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OPENAI, SERVER.baseUrl() + "/v1", null, 8, 3, "", ""))) {
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).isFalse();
            assertThat(failure.getMessage()).contains("openai").contains("429");
        }
        assertThat(SERVER.received()).hasSize(1);
    }

    @Test
    void boundedRetriesThenATransientFailureNamingProviderAndStatus() {
        SERVER.always(Answer.status(503));
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OLLAMA, SERVER.baseUrl(), null, 8, 2, "", ""))) {
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).isFalse();
            assertThat(failure.getMessage()).contains("ollama").contains("embed-small").contains("3 times").contains("HTTP 503");
        }
        assertThat(SERVER.received()).hasSize(3);
    }

    @Test
    void aRefusedKeyIsAPermanentFailureThatNamesTheStatusButNeverTheKeyOrTheBody() {
        SERVER.always(Answer.status(401));
        for (EmbeddingProvider provider : List.of(EmbeddingProvider.OPENAI, EmbeddingProvider.OLLAMA, EmbeddingProvider.GEMINI)) {
            String base = provider == EmbeddingProvider.OPENAI ? SERVER.baseUrl() + "/v1" : SERVER.baseUrl();
            try (RemoteEmbedder embedder = embedder(settings(provider, base, null, 8, 3, "", ""))) {
                EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
                assertThat(failure.permanent()).isTrue();
                assertThat(failure.getMessage()).contains(provider.id()).contains("HTTP 401").contains("api-key")
                        .doesNotContain(KEY).doesNotContain("sk-fake-secret-echo");
            }
        }
        assertThat(SERVER.received()).as("no retry of a refusal").hasSize(3);
    }

    @Test
    void aModelAnsweringAnotherDimensionIsAnError() {
        SERVER.then(Answer.dimension(64), Answer.dimension(32));
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OPENAI, SERVER.baseUrl() + "/v1", null, 8, 0, "", ""))) {
            embedder.embedDocuments(texts(1));
            assertThat(embedder.dimension()).isEqualTo(64);
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).isTrue();
            assertThat(failure.getMessage()).contains("32-dimensional").contains("64 dimensions");
        }
    }

    @Test
    void theIndexsRecordedDimensionIsEnforced() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OPENAI, SERVER.baseUrl() + "/v1", null, 8, 0, "", ""))) {
            embedder.expectDimension(384);
            assertThat(embedder.knownDimension()).hasValue(384);
            assertThatThrownBy(() -> embedder.embedDocuments(texts(1))).isInstanceOf(EmbeddingFailure.class)
                    .hasMessageContaining(FakeEmbeddingServer.DEFAULT_DIMENSION + "-dimensional").hasMessageContaining("384");
        }
    }

    @Test
    void anAnswerThatIsNotEmbeddingsIsAPermanentFailure() {
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OLLAMA, SERVER.baseUrl() + "/v1", null, 8, 0, "", ""))) {
            // /v1/api/embed is not Ollama's path: the fake answers Gemini's shape there, not Ollama's.
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).isTrue();
            assertThat(failure.getMessage()).contains("base-url");
        }
    }

    @Test
    void anUnreachableProviderIsRetriedThenATransientFailure() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OLLAMA, "http://127.0.0.1:" + port, null, 8, 1, "", ""))) {
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).isFalse();
            assertThat(failure.getMessage()).contains("2 times").contains("no answer");
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new EmbeddingSettings(EmbeddingProvider.OPENAI, null, "http://x/v1", null, null, 8, Duration.ofSeconds(1),
                0, "", "")).hasMessageContaining("switchboard.knowledge.embedding.model");
        assertThatThrownBy(() -> new EmbeddingSettings(EmbeddingProvider.OLLAMA, "m", null, null, null, 8, Duration.ofSeconds(1), 0, "",
                ""))
                .hasMessageContaining("switchboard.knowledge.embedding.base-url");
        assertThatThrownBy(() -> new EmbeddingSettings(EmbeddingProvider.OLLAMA, "m", "file:///etc", null, null, 8, Duration.ofSeconds(1),
                0, "", "")).hasMessageContaining("switchboard.knowledge.embedding.base-url");
        assertThatThrownBy(() -> new EmbeddingSettings(EmbeddingProvider.GEMINI, "m", "https://g", null, null, 8, Duration.ofSeconds(1), 0,
                "", "")).hasMessageContaining("switchboard.knowledge.embedding.api-key");
        assertThatThrownBy(() -> new EmbeddingSettings(EmbeddingProvider.LOCAL, null, null, null, 128, 8, Duration.ofSeconds(1), 0, "", ""))
                .hasMessageContaining("switchboard.knowledge.embedding.dimensions");
        assertThat(settings(EmbeddingProvider.OPENAI, "http://x/v1", null, 8, 0, "", "").toString()).doesNotContain(KEY).contains("(set)");
    }

    private static void assertUnitAndParallel(float[] actual, float[] raw) {
        double norm = 0;
        double rawNorm = 0;
        double dot = 0;
        for (int i = 0; i < actual.length; i++) {
            norm += actual[i] * actual[i];
            rawNorm += raw[i] * raw[i];
            dot += actual[i] * raw[i];
        }
        assertThat(actual).hasSameSizeAs(raw);
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(dot / Math.sqrt(rawNorm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }

    @Test
    void aProviderAtAForbiddenAddressIsAPermanentFailureWithoutAConnection() {
        String elsewhereOnLoopback = SERVER.baseUrl().replace("127.0.0.1", "127.0.0.2");
        try (RemoteEmbedder embedder = embedder(settings(EmbeddingProvider.OLLAMA, elsewhereOnLoopback, null, 16, 3, "", ""))) {
            EmbeddingFailure failure = catchThrowableOfType(EmbeddingFailure.class, () -> embedder.embedDocuments(texts(1)));
            assertThat(failure.permanent()).as("nothing to retry: the address is refused").isTrue();
            assertThat(failure.getMessage()).contains("loopback range 127.0.0.0/8", "switchboard.security.outbound.allowed-networks");
        }
        assertThat(SERVER.received()).isEmpty();
    }
}
