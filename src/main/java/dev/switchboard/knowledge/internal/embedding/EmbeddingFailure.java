package dev.switchboard.knowledge.internal.embedding;

/**
 * An embedding request that did not produce vectors. The message is written for the document's {@code error}
 * and the log: it names the provider, the model and the HTTP status — never the key, never the provider's body.
 */
public final class EmbeddingFailure extends RuntimeException {

    private final boolean permanent;

    EmbeddingFailure(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    EmbeddingFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    /**
     * Whether trying again later cannot help (a refused key, an unknown model, vectors of the wrong size): the
     * document fails with this reason. Otherwise (429, 5xx, timeouts after the retries) the job is retried.
     */
    public boolean permanent() {
        return permanent;
    }
}
