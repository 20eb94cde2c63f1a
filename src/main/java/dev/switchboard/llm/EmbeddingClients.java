package dev.switchboard.llm;

import java.time.Duration;
import java.util.List;

/**
 * Embeddings as a capability of a provider kind: {@code openai} (and every server speaking its
 * {@code /embeddings}), {@code ollama} and {@code gemini} ({@code anthropic} has no embedding API). A client
 * speaks the kind's wire format and retries under the same {@link RetryPolicy} as chat calls; connections go
 * through the outbound policy like every provider call. The knowledge module embeds through this.
 */
public interface EmbeddingClients {

    /**
     * A client for the target.
     *
     * @throws IllegalArgumentException when the kind has no embedding API
     */
    Client connect(Target target);

    /**
     * Where and what to embed with.
     *
     * @param kind the provider kind: {@code openai}, {@code ollama} or {@code gemini}
     * @param baseUrl where it listens (for {@code openai}, up to and including {@code /v1})
     * @param model the provider's embedding model
     * @param dimensions vector size to ask for, or null for the model's own
     * @param apiKey the key, or null
     * @param timeout one request's time limit
     * @param maxRetries retries of a request that failed in a way that can pass
     * @param settings the settings prefix failure messages name (e.g. {@code switchboard.knowledge.embedding})
     */
    record Target(String kind, String baseUrl, String model, Integer dimensions, String apiKey, Duration timeout, int maxRetries,
            String settings) {

        /** Never the key. */
        @Override
        public String toString() {
            return "Target[kind=" + kind + ", baseUrl=" + baseUrl + ", model=" + model + ", dimensions=" + dimensions + "]";
        }
    }

    /** One target's embedding client. Thread-safe. */
    interface Client extends AutoCloseable {

        /**
         * The vectors of {@code texts} (at most {@link #maxBatch()}), in order, as the provider sent them (not
         * normalised). {@code query} for a search query (providers that embed queries differently are told).
         *
         * @throws Failed when no vectors came back
         */
        List<float[]> embed(List<String> texts, boolean query);

        /** The most texts one call takes. */
        int maxBatch();

        @Override
        void close();
    }

    /**
     * An embedding request that did not produce vectors. The message names the provider, the model and the HTTP
     * status — never the key, never the provider's body.
     */
    final class Failed extends RuntimeException {

        private final boolean permanent;

        public Failed(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        public Failed(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        /** Whether trying again later cannot help (a refused key, an unknown model, an answer of another shape). */
        public boolean permanent() {
            return permanent;
        }
    }
}
