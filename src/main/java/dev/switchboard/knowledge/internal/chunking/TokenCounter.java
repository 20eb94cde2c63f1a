package dev.switchboard.knowledge.internal.chunking;

/**
 * Counts the tokens a text costs the embedding model, so that chunks are sized in the unit the model's
 * 512-token window is measured in (characters or words misjudge scientific and technical text by half).
 */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);
}
