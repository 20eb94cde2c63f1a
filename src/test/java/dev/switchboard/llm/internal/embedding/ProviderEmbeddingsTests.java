package dev.switchboard.llm.internal.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.shared.Sleeper;

/** Which provider kinds embed, and how many texts each takes in one call. */
class ProviderEmbeddingsTests {

    final ProviderEmbeddings embeddings = new ProviderEmbeddings(new OutboundConnections(
            new OutboundAddressPolicy(List.of("127.0.0.1/32")), OutboundResolver.SYSTEM), Sleeper.THREAD, Clock.systemUTC());

    static EmbeddingClients.Target target(String kind) {
        return new EmbeddingClients.Target(kind, "http://127.0.0.1:9", "embed-small", null, "sk-secret-123", Duration.ofSeconds(1), 0,
                "switchboard.knowledge.embedding");
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
}
