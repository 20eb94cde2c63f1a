package dev.switchboard.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;

import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.llm.Target;
import dev.switchboard.llm.internal.embedding.ProviderEmbeddings;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.shared.Sleeper;
import okhttp3.OkHttpClient;

/**
 * Embeddings go over the client of their provider kind's chat calls: against one fake provider speaking both (a real
 * HTTP server counting the connections made to it), chat calls and embedding requests, interleaved, share one
 * connection — and an embedding client on a client stack of its own opens a second one.
 */
class ProviderConnectionsTests {

    final FakeEmbeddingServer embeddingApi = FakeEmbeddingServer.start();
    final FakeLlmServer provider = FakeLlmServer.start().servingEmbeddings(embeddingApi);
    final ProviderConnections connections = new ProviderConnections(RouterFixture.LOOPBACK_ONLY);

    @AfterEach
    void stop() {
        provider.close();
        embeddingApi.close();
    }

    @ParameterizedTest
    @EnumSource(value = ProviderKind.class, names = {"OPENAI", "GEMINI", "OLLAMA"})
    void chatAndEmbeddingsOfAKindShareOneConnection(ProviderKind kind) {
        String baseUrl = RouterFixture.baseUrl(kind, provider.baseUrl());
        ChatModel chat = new ChatClients(connections).of(new ProviderSpec("p", kind, baseUrl, "test-key", List.of(),
                ProviderSpec.Timeouts.DEFAULTS, 0, 1, false), new Target("p", "m1"));
        try (EmbeddingClients.Client embeddings = embeddingsOver(connections, kind, baseUrl)) {
            assertThat(chat.call(new Prompt("Hi")).getResult().getOutput().getText()).isNotBlank();
            assertThat(embeddings.embed(List.of("Holidays"), false)).singleElement().satisfies(v -> assertThat(v).isNotEmpty());
            assertThat(chat.call(new Prompt("Hi again")).getResult().getOutput().getText()).isNotBlank();
            assertThat(embeddings.embed(List.of("Expenses", "Travel"), true)).hasSize(2);
        }

        assertThat(provider.received()).as("chat calls").hasSize(2);
        assertThat(embeddingApi.received()).as("embedding requests").hasSize(2);
        assertThat(provider.connections()).as("connections made for two chat calls and two embedding requests").isOne();
        if (kind != ProviderKind.OLLAMA) {
            assertThat(connections.okHttpConnections()).as("in the shared OkHttp pool").isOne();
        }

        // The count tells a client of its own: embeddings over other connections dial again.
        try (EmbeddingClients.Client separate = embeddingsOver(new ProviderConnections(RouterFixture.LOOPBACK_ONLY), kind, baseUrl)) {
            separate.embed(List.of("Holidays"), false);
        }
        assertThat(provider.connections()).isEqualTo(2);
    }

    @Test
    void everyCallerGetsItsTimeoutsOverTheOneClientBuiltAtTheFirstUse() {
        connections.warm();
        OkHttpClient first = connections.okHttp(Duration.ofSeconds(1), Duration.ofSeconds(5));
        OkHttpClient second = connections.okHttp(Duration.ofSeconds(2), Duration.ofSeconds(30));

        assertThat(first.connectionPool()).isSameAs(second.connectionPool());
        assertThat(first.dispatcher()).isSameAs(second.dispatcher());
        assertThat(second.readTimeoutMillis()).isEqualTo(30_000);
    }

    static EmbeddingClients.Client embeddingsOver(ProviderConnections connections, ProviderKind kind, String baseUrl) {
        return new ProviderEmbeddings(connections, Sleeper.THREAD, Clock.systemUTC()).connect(new EmbeddingClients.Target(kind.id(),
                baseUrl, "embed-small", null, "test-key", Duration.ofSeconds(20), 0, "switchboard.knowledge.embedding"));
    }
}
