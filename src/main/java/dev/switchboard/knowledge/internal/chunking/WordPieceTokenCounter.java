package dev.switchboard.knowledge.internal.chunking;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

/**
 * Counts BERT WordPiece tokens (uncased English vocabulary): the tokenizer of bge-small-en-v1.5 and most
 * small English embedding models. The native tokenizer is loaded at the first count, not at start-up (it extracts and
 * loads a native library); counting is thread-safe.
 */
public final class WordPieceTokenCounter implements TokenCounter {

    private volatile HuggingFaceTokenCountEstimator estimator;

    @Override
    public int count(String text) {
        return text.isBlank() ? 0 : estimator().estimateTokenCountInText(text);
    }

    /** Whether the native tokenizer has been loaded (only once a text was counted). */
    public boolean loaded() {
        return estimator != null;
    }

    private HuggingFaceTokenCountEstimator estimator() {
        HuggingFaceTokenCountEstimator loaded = estimator;
        if (loaded == null) {
            synchronized (this) {
                loaded = estimator;
                if (loaded == null) {
                    loaded = new HuggingFaceTokenCountEstimator();
                    estimator = loaded;
                }
            }
        }
        return loaded;
    }
}
