package dev.switchboard.knowledge.internal.embedding;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundRefusedException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Embeddings from a remote provider (OpenAI-compatible, Ollama, Gemini) over the JDK HTTP client, connecting
 * through {@link OutboundConnections} (a forbidden address is a permanent failure naming the range): texts in
 * batches of {@code batch-size}, each request under {@code timeout}, retried up to {@code max-retries} times on
 * 429, 5xx, timeouts and connection errors after an exponential, jittered backoff — or after the provider's
 * {@code Retry-After}, when it asks for at most a minute. Other 4xx answers are permanent failures naming the
 * provider, model and status (the document fails with that reason; nothing is retried that cannot succeed).
 * <p>
 * Vectors come back L2-normalised (providers differ: OpenAI's are, Ollama's and Gemini's shortened ones are
 * not). The dimension is fixed by the first answer (or by the index's record of this model): a later answer of
 * another size is an error rather than a vector the index cannot compare. Thread-safe.
 */
public final class RemoteEmbedder implements Embedder, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RemoteEmbedder.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The longest {@code Retry-After} waited for; a longer one fails the attempt (the job retries later). */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private final EmbeddingSettings settings;
    private final String modelId;
    private final EmbeddingWire wire;
    private final HttpClient http;
    private final int batchSize;
    private final Duration initialBackoff;
    private final AtomicInteger dimension = new AtomicInteger();

    /** An embedder for the remote provider of the settings. */
    public static RemoteEmbedder create(EmbeddingSettings settings, OutboundConnections outbound) {
        return new RemoteEmbedder(settings, outbound, Duration.ofMillis(500));
    }

    RemoteEmbedder(EmbeddingSettings settings, OutboundConnections outbound, Duration initialBackoff) {
        if (settings.provider() == EmbeddingProvider.LOCAL) {
            throw new IllegalArgumentException("The local model is not remote");
        }
        this.settings = settings;
        this.modelId = modelId(settings);
        this.initialBackoff = initialBackoff;
        this.http = outbound.jdkHttpClient(HttpClient.newBuilder().connectTimeout(settings.timeout()));
        String url = settings.baseUrl().strip();
        this.wire = switch (settings.provider()) {
            case OPENAI -> new OpenAiEmbeddingWire(JSON, url, settings.model(), settings.dimensions(), settings.apiKey());
            case OLLAMA -> new OllamaEmbeddingWire(JSON, url, settings.model(), settings.dimensions(), settings.apiKey());
            case GEMINI -> new GeminiEmbeddingWire(JSON, url, settings.model(), settings.dimensions(), settings.apiKey());
            case LOCAL -> throw new IllegalArgumentException("local");
        };
        this.batchSize = settings.provider() == EmbeddingProvider.GEMINI
                ? Math.min(settings.batchSize(), GeminiEmbeddingWire.MAX_BATCH) : settings.batchSize();
        if (settings.dimensions() != null) {
            dimension.set(settings.dimensions());
        }
    }

    /**
     * The id the index records for vectors of these settings: {@code <provider>:<model>}, with {@code @<dimensions>}
     * when shortened and {@code #<hash>} of the document prefix when there is one — each changes the vectors, so
     * each is another model to the index.
     */
    public static String modelId(EmbeddingSettings settings) {
        String id = settings.provider().id() + ":" + settings.model().strip();
        if (settings.dimensions() != null) {
            id += "@" + settings.dimensions();
        }
        if (!settings.documentPrefix().isEmpty()) {
            id += "#" + sha256(settings.documentPrefix()).substring(0, 8);
        }
        return id;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    /** The vectors' size; asks the provider (one short text) when no answer has told it yet. */
    @Override
    public int dimension() {
        int known = dimension.get();
        if (known == 0) {
            embedDocuments(List.of("dimension"));
            known = dimension.get();
        }
        return known;
    }

    /** The dimension if an answer, the settings or the index's record has fixed it; no request. */
    public OptionalInt knownDimension() {
        int known = dimension.get();
        return known == 0 ? OptionalInt.empty() : OptionalInt.of(known);
    }

    /**
     * The dimension the index recorded for this model: answers of another size are refused from now on.
     *
     * @throws IllegalStateException when the provider already answered with another size
     */
    public void expectDimension(int recorded) {
        if (!dimension.compareAndSet(0, recorded) && dimension.get() != recorded) {
            throw new IllegalStateException("The embedding model " + modelId + " answers " + dimension.get()
                    + "-dimensional vectors, but the index recorded " + recorded + " for it");
        }
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize)).stream()
                    .map(text -> settings.documentPrefix() + text).toList();
            vectors.addAll(call(batch, false));
        }
        return vectors;
    }

    @Override
    public float[] embedQuery(String query) {
        return call(List.of(settings.queryPrefix() + query.strip()), true).getFirst();
    }

    private List<float[]> call(List<String> texts, boolean query) {
        String problem = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            if (attempt > 0) {
                log.warn("Embedding request to {} ({}) failed: {}; retry {} of {}", settings.provider().id(), settings.model(),
                        problem, attempt, settings.maxRetries());
            }
            HttpResponse<String> response;
            try {
                response = http.send(wire.request(texts, query).timeout(settings.timeout()).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            catch (IOException ex) {
                OutboundRefusedException.in(ex).ifPresent(refused -> {
                    throw new EmbeddingFailure(describe() + " is not called: " + refused.getBody().getDetail(), true);
                });
                problem = "no answer (" + ex.getClass().getSimpleName() + ")";
                pause(backoff(attempt), attempt);
                continue;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new EmbeddingFailure(describe() + " was interrupted", false, ex);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body(), texts.size());
            }
            if (!retryable(status)) {
                throw new EmbeddingFailure(describe() + " refused the request: HTTP " + status + hint(status), true);
            }
            problem = "HTTP " + status;
            Duration wait = backoff(attempt);
            Duration retryAfter = retryAfter(response);
            if (retryAfter != null) {
                if (retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
                    throw new EmbeddingFailure(describe() + " answered HTTP " + status + " and asked to wait "
                            + retryAfter.toSeconds() + " s; the job retries later", false);
                }
                wait = retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
            }
            pause(wait, attempt);
        }
        int attempts = settings.maxRetries() + 1;
        throw new EmbeddingFailure(describe() + " failed " + attempts + (attempts == 1 ? " time" : " times") + " (last: " + problem + ")",
                false);
    }

    private void pause(Duration wait, int attempt) {
        if (attempt >= settings.maxRetries()) {
            return;
        }
        try {
            Thread.sleep(wait);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EmbeddingFailure(describe() + " was interrupted", false, ex);
        }
    }

    private List<float[]> parse(String body, int expected) {
        List<float[]> vectors;
        try {
            vectors = wire.vectors(JSON.readTree(body));
        }
        catch (JacksonException | NumberFormatException ex) {
            vectors = null;
        }
        if (vectors == null || vectors.size() != expected || vectors.stream().anyMatch(v -> v == null || v.length == 0)) {
            throw new EmbeddingFailure(describe() + " answered with something other than " + expected + " embeddings "
                    + "(is base-url the provider's API?)", true);
        }
        List<float[]> unit = new ArrayList<>(vectors.size());
        for (float[] vector : vectors) {
            int size = vector.length;
            if (!dimension.compareAndSet(0, size) && dimension.get() != size) {
                throw new EmbeddingFailure(describe() + " answered a " + size + "-dimensional vector, but its vectors have "
                        + dimension.get() + " dimensions (the index's record or its first answer); a changed model needs "
                        + "another name or dimensions setting", true);
            }
            unit.add(unitLength(vector));
        }
        return unit;
    }

    private String describe() {
        return "The embedding provider " + settings.provider().id() + " (model " + settings.model() + ")";
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " — check switchboard.knowledge.embedding.api-key.";
            case 404 -> " — check switchboard.knowledge.embedding.model and base-url.";
            default -> " — the provider rejected the input (too long for the model? a smaller batch-size, or "
                    + "dimensions the model cannot produce?).";
        };
    }

    private Duration backoff(int attempt) {
        long base = Math.min(MAX_BACKOFF.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 16));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        }
        catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            }
            catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    static float[] floats(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        float[] vector = new float[array.size()];
        for (int i = 0; i < vector.length; i++) {
            JsonNode value = array.get(i);
            if (!value.isNumber()) {
                return null;
            }
            vector[i] = value.floatValue();
        }
        return vector;
    }

    private float[] unitLength(float[] vector) {
        try {
            return Vectors.unitLength(vector);
        }
        catch (IllegalArgumentException ex) {
            throw new EmbeddingFailure(describe() + " answered a vector without direction (all zeros or not finite)", true);
        }
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
