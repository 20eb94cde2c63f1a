package dev.switchboard.knowledge.internal.embedding;

import java.util.List;

/**
 * Turns text into vectors. Document texts and queries are embedded differently (BGE prefixes queries with
 * its retrieval instruction). Vectors are L2-normalised, so cosine similarity is a dot product.
 */
public interface Embedder {

    /** The model's id as recorded with the index (e.g. {@code bge-small-en-v1.5-q}). */
    String modelId();

    /** The vectors' dimension (384 for bge-small-en-v1.5). */
    int dimension();

    /** One vector per text, in order; batched internally. */
    List<float[]> embedDocuments(List<String> texts);

    /** The vector of a search query. */
    float[] embedQuery(String query);
}
