package dev.switchboard.knowledge;

import java.util.List;

/**
 * The embedding model of the knowledge index — the in-process bge-small by default, or the configured remote one — for
 * callers that want vectors of their own texts ({@code POST /v1/embeddings}). Texts are embedded as documents are
 * (without a query instruction); vectors are L2-normalised.
 */
public interface Embeddings {

    /** The model's id, as {@code /v1/models} lists it and the index records it (e.g. {@code bge-small-en-v1.5-q}). */
    String model();

    /** Where the model runs: {@code local} (in process) or the remote provider's kind ({@code openai}, {@code ollama}, …). */
    String provider();

    /** The size of its vectors (a remote model's is learnt from its first answer). */
    int dimension();

    /**
     * One vector per text, in order.
     *
     * @throws dev.switchboard.shared.SwitchboardException 502 {@code embedding-unavailable} when a remote model failed
     */
    List<float[]> embed(List<String> texts);
}
