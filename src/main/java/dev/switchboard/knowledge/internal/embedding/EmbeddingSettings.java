package dev.switchboard.knowledge.internal.embedding;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which model embeds chunks and queries ({@code switchboard.knowledge.embedding}). Remote providers need a
 * model and a base URL; a setting that cannot work stops the start-up with a message naming it.
 *
 * @param provider {@code local} (bge-small-en-v1.5 in process, the default), {@code openai}, {@code ollama} or {@code gemini}
 * @param model the provider's model name ({@code text-embedding-3-small}, {@code nomic-embed-text}, {@code gemini-embedding-001})
 * @param baseUrl where the provider listens: for {@code openai} the URL up to and including {@code /v1} (requests go to
 *        {@code <base-url>/embeddings}, as for the LLM providers); for {@code ollama} the server's root; for
 *        {@code gemini} {@code https://generativelanguage.googleapis.com}
 * @param apiKey the provider's key, from the environment or a mounted secret only (Gemini requires one)
 * @param dimensions vector size to ask for (models that can shorten their vectors); unset: the model's own, learnt
 *        from its first answer
 * @param batchSize texts per request
 * @param timeout one request's time limit (connecting included)
 * @param maxRetries retries of a request on 429, 5xx, timeouts and connection errors ({@code Retry-After} honoured)
 * @param queryPrefix text put before every query (instruction-tuned models: {@code search_query: } for nomic,
 *        {@code query: } for e5)
 * @param documentPrefix text put before every chunk ({@code search_document: }, {@code passage: }); changing it
 *        changes the model id, so the index is re-embedded
 */
public record EmbeddingSettings(
        @NotNull @DefaultValue("local") EmbeddingProvider provider,
        String model,
        String baseUrl,
        String apiKey,
        @Min(1) @Max(65536) Integer dimensions,
        @Min(1) @Max(2048) @DefaultValue("64") int batchSize,
        @NotNull @DefaultValue("30s") Duration timeout,
        @Min(0) @Max(10) @DefaultValue("3") int maxRetries,
        @DefaultValue("") String queryPrefix,
        @DefaultValue("") String documentPrefix) {

    private static final String PREFIX = "switchboard.knowledge.embedding.";

    public EmbeddingSettings {
        if (provider != null && provider != EmbeddingProvider.LOCAL) {
            require(model != null && !model.isBlank(), "model", "the provider's embedding model, e.g. "
                    + example(provider));
            require(baseUrl != null && !baseUrl.isBlank(), "base-url", "where " + provider.id() + " listens, e.g. "
                    + exampleUrl(provider));
            require(isHttpUrl(baseUrl), "base-url", "an http(s) URL without user info, e.g. " + exampleUrl(provider));
            require(provider != EmbeddingProvider.GEMINI || (apiKey != null && !apiKey.isBlank()), "api-key",
                    "Gemini's key (SWITCHBOARD_KNOWLEDGE_EMBEDDING_APIKEY or a mounted secret file)");
        }
        else if (provider == EmbeddingProvider.LOCAL) {
            require(dimensions == null, "dimensions", "unset: the local model's vectors have 384 dimensions");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(PREFIX + "timeout must be positive, e.g. 30s");
        }
        queryPrefix = queryPrefix == null ? "" : queryPrefix;
        documentPrefix = documentPrefix == null ? "" : documentPrefix;
    }

    /** The settings of the default: the local model. */
    public static EmbeddingSettings local() {
        return new EmbeddingSettings(EmbeddingProvider.LOCAL, null, null, null, null, 64, Duration.ofSeconds(30), 3, "", "");
    }

    /** Never the key: settings get logged by frameworks and failure analyzers. */
    @Override
    public String toString() {
        return "EmbeddingSettings[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null || apiKey.isEmpty() ? "(unset)" : "(set)") + ", dimensions=" + dimensions + ", batchSize="
                + batchSize + ", timeout=" + timeout + ", maxRetries=" + maxRetries + "]";
    }

    private static void require(boolean condition, String setting, String expected) {
        if (!condition) {
            throw new IllegalArgumentException(PREFIX + setting + " is required or invalid: set it to " + expected);
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value.strip());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null;
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static String example(EmbeddingProvider provider) {
        return switch (provider) {
            case OPENAI -> "text-embedding-3-small";
            case OLLAMA -> "nomic-embed-text";
            case GEMINI -> "gemini-embedding-001";
            case LOCAL -> "";
        };
    }

    private static String exampleUrl(EmbeddingProvider provider) {
        return switch (provider) {
            case OPENAI -> "https://api.openai.com/v1";
            case OLLAMA -> "http://localhost:11434";
            case GEMINI -> "https://generativelanguage.googleapis.com";
            case LOCAL -> "";
        };
    }
}
