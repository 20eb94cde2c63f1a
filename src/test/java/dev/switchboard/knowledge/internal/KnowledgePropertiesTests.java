package dev.switchboard.knowledge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.switchboard.knowledge.internal.embedding.EmbeddingProvider;

/** The embedding settings as Spring binds them at start-up: defaults, and the refusals that stop the start. */
class KnowledgePropertiesTests {

    static KnowledgeProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("switchboard.knowledge", KnowledgeProperties.class);
    }

    @Test
    void theLocalModelIsTheDefault() {
        KnowledgeProperties properties = bind(Map.of());
        assertThat(properties.embedding().provider()).isEqualTo(EmbeddingProvider.LOCAL);
        assertThat(properties.embedding().batchSize()).isEqualTo(64);
        assertThat(properties.embedding().maxRetries()).isEqualTo(3);
    }

    @Test
    void aRemoteProviderBindsFromRelaxedNames() {
        KnowledgeProperties properties = bind(Map.of("switchboard.knowledge.embedding.provider", "ollama",
                "switchboard.knowledge.embedding.model", "nomic-embed-text", "switchboard.knowledge.embedding.base-url",
                "http://localhost:11434", "switchboard.knowledge.embedding.query-prefix", "search_query: "));
        assertThat(properties.embedding().provider()).isEqualTo(EmbeddingProvider.OLLAMA);
        assertThat(properties.embedding().queryPrefix()).isEqualTo("search_query: ");
    }

    @Test
    void anUnknownProviderOrAMissingModelStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("switchboard.knowledge.embedding.provider", "cohere"))).isInstanceOf(BindException.class)
                .hasMessageContaining("switchboard.knowledge.embedding.provider");
        assertThatThrownBy(() -> bind(Map.of("switchboard.knowledge.embedding.provider", "openai",
                "switchboard.knowledge.embedding.base-url", "https://api.openai.com/v1")))
                .rootCause().hasMessageContaining("switchboard.knowledge.embedding.model is required");
    }

    @Test
    void ingestionIsBudgetedAndSharedByDefault() {
        KnowledgeProperties properties = bind(Map.of());
        assertThat(properties.jobTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(properties.maxConcurrentPerTenant()).isEqualTo(1);
        assertThatThrownBy(() -> bind(Map.of("switchboard.knowledge.job-timeout", "1s"))).rootCause()
                .hasMessageContaining("switchboard.knowledge.job-timeout must be at least 10s");
    }
}
