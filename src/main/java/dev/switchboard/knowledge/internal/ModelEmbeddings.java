package dev.switchboard.knowledge.internal;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.switchboard.knowledge.Embeddings;
import dev.switchboard.knowledge.internal.embedding.Embedder;
import dev.switchboard.knowledge.internal.embedding.EmbeddingFailure;
import dev.switchboard.shared.SwitchboardException;

/** {@link Embeddings} over the configured {@link Embedder}: the very model the index uses. */
@Service
class ModelEmbeddings implements Embeddings {

    private final Embedder embedder;
    private final KnowledgeProperties properties;

    ModelEmbeddings(Embedder embedder, KnowledgeProperties properties) {
        this.embedder = embedder;
        this.properties = properties;
    }

    @Override
    public String model() {
        return embedder.modelId();
    }

    @Override
    public String provider() {
        return properties.embedding().provider().id();
    }

    @Override
    public int dimension() {
        try {
            return embedder.dimension();
        }
        catch (EmbeddingFailure failure) {
            throw unavailable(failure);
        }
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        try {
            return embedder.embedDocuments(texts);
        }
        catch (EmbeddingFailure failure) {
            throw unavailable(failure);
        }
    }

    /** The failure's message names the provider, the model and the status, never the key or the provider's body. */
    private static SwitchboardException unavailable(EmbeddingFailure failure) {
        return new SwitchboardException(HttpStatus.BAD_GATEWAY, "embedding-unavailable", "The embedding model did not answer: "
                + failure.getMessage(), failure);
    }
}
