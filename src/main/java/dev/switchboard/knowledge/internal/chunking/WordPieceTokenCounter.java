package dev.switchboard.knowledge.internal.chunking;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;

/**
 * Counts BERT WordPiece tokens (uncased English vocabulary): the tokenizer of bge-small-en-v1.5 and most
 * small English embedding models. The native tokenizer is loaded once; counting is thread-safe.
 */
public final class WordPieceTokenCounter implements TokenCounter {

    private final HuggingFaceTokenCountEstimator estimator = new HuggingFaceTokenCountEstimator();

    @Override
    public int count(String text) {
        return text.isBlank() ? 0 : estimator.estimateTokenCountInText(text);
    }
}
