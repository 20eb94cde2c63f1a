package dev.switchboard.llm.internal.embedding;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.switchboard.llm.EmbeddingClients;
import dev.switchboard.llm.RetryPolicy;
import dev.switchboard.llm.internal.provider.ProviderConnections;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.llm.internal.provider.ProviderSpec;
import dev.switchboard.shared.Sleeper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Embedding clients by provider kind, each speaking its kind's wire format ({@link OpenAiEmbeddingWire},
 * {@link OllamaEmbeddingWire}, {@link GeminiEmbeddingWire}) under the shared {@link RetryPolicy}, over the HTTP client
 * and connection pool of the kind's chat calls ({@link ProviderConnections}): OkHttp for OpenAI and Gemini, the JDK
 * client for Ollama.
 */
@Component
public final class ProviderEmbeddings implements EmbeddingClients {

    /**
     * Embedding retries wait longer than chat's: ingestion is a background job with no one waiting on a token,
     * and a provider that rate-limits a bulk re-embedding asks for tens of seconds. A longer {@code Retry-After}
     * fails the attempt and the ingestion job retries later.
     */
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ProviderConnections connections;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration initialBackoff;

    @Autowired
    public ProviderEmbeddings(ProviderConnections connections, Sleeper sleeper, Clock clock) {
        this(connections, sleeper, clock, ThreadLocalRandom.current(), INITIAL_BACKOFF);
    }

    /** With the waits, the time and the jitter under a test's control. */
    public ProviderEmbeddings(ProviderConnections connections, Sleeper sleeper, Clock clock, RandomGenerator random,
            Duration initialBackoff) {
        this.connections = connections;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
        this.initialBackoff = initialBackoff;
    }

    @Override
    public Client connect(Target target) {
        String url = target.baseUrl().strip();
        ProviderKind kind = ProviderKind.of(target.kind());
        EmbeddingWire wire = switch (kind) {
            case OPENAI -> new OpenAiEmbeddingWire(JSON, url, target.model(), target.dimensions(), target.apiKey());
            case OLLAMA -> new OllamaEmbeddingWire(JSON, url, target.model(), target.dimensions(), target.apiKey());
            case GEMINI -> new GeminiEmbeddingWire(JSON, url, target.model(), target.dimensions(), target.apiKey());
            case ANTHROPIC -> throw new IllegalArgumentException("Anthropic has no embedding API; use openai, ollama or gemini");
        };
        // The chat providers' default connect timeout, so that an embedding target shares their client (the JDK client
        // takes it when built); the whole request stays under the target's timeout.
        Duration connect = min(ProviderSpec.Timeouts.DEFAULTS.connect(), target.timeout());
        EmbeddingTransport transport = kind == ProviderKind.OLLAMA
                ? new EmbeddingTransport.OverJdk(connections.jdk(connect), target.timeout())
                : EmbeddingTransport.OverOkHttp.of(connections, connect, target.timeout());
        RetryPolicy retry = new RetryPolicy(initialBackoff, MAX_BACKOFF, MAX_RETRY_AFTER, target.maxRetries());
        return new HttpEmbeddingClient(target, wire, transport, JSON, retry, sleeper, clock, random);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
