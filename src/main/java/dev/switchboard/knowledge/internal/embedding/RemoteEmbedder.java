package dev.switchboard.knowledge.internal.embedding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import dev.switchboard.knowledge.internal.index.Vectors;
import dev.switchboard.llm.EmbeddingClients;

/**
 * Embeddings from a remote provider (OpenAI-compatible, Ollama, Gemini) through the {@code llm} module's
 * {@link EmbeddingClients}: the provider kind's wire client, retried under the same policy as chat calls (429, 408,
 * 5xx, timeouts and connection errors; the provider's {@code Retry-After} waited for up to a minute), connecting
 * through the outbound policy. Texts go in batches of {@code batch-size} (at most what the provider takes in one
 * call), with the settings' prefixes; a provider's refusal is a permanent {@link EmbeddingFailure} naming the
 * provider, model and status (the document fails with that reason; nothing is retried that cannot succeed).
 * <p>
 * Vectors come back L2-normalised (providers differ: OpenAI's are, Ollama's and Gemini's shortened ones are
 * not). The dimension is fixed by the first answer (or by the index's record of this model): a later answer of
 * another size is an error rather than a vector the index cannot compare. Thread-safe.
 */
public final class RemoteEmbedder implements Embedder, AutoCloseable {

    private static final String SETTINGS = "switchboard.knowledge.embedding";

    private final EmbeddingSettings settings;
    private final String modelId;
    private final EmbeddingClients.Client client;
    private final int batchSize;
    private final AtomicInteger dimension = new AtomicInteger();

    /** An embedder for the remote provider of the settings, through the provider kind's embedding client. */
    public static RemoteEmbedder create(EmbeddingSettings settings, EmbeddingClients embeddings) {
        if (settings.provider() == EmbeddingProvider.LOCAL) {
            throw new IllegalArgumentException("The local model is not remote");
        }
        return new RemoteEmbedder(settings, embeddings.connect(new EmbeddingClients.Target(settings.provider().id(), settings.baseUrl(),
                settings.model(), settings.dimensions(), settings.apiKey(), settings.timeout(), settings.maxRetries(), SETTINGS)));
    }

    private RemoteEmbedder(EmbeddingSettings settings, EmbeddingClients.Client client) {
        this.settings = settings;
        this.modelId = modelId(settings);
        this.client = client;
        this.batchSize = Math.min(settings.batchSize(), client.maxBatch());
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
        List<float[]> vectors;
        try {
            vectors = client.embed(texts, query);
        }
        catch (EmbeddingClients.Failed failed) {
            throw new EmbeddingFailure(failed.getMessage(), failed.permanent(), failed);
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

    private float[] unitLength(float[] vector) {
        try {
            return Vectors.unitLength(vector);
        }
        catch (IllegalArgumentException ex) {
            throw new EmbeddingFailure(describe() + " answered a vector without direction (all zeros or not finite)", true);
        }
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
        client.close();
    }
}
