package dev.switchboard.llm;

import java.util.Collections;
import java.util.List;

/**
 * How close in meaning each sentence is to a question: the cosine similarity of their embeddings, one value per
 * sentence in order. The local extractive responder ranks the sentences it may quote by it as well as by shared
 * words; the knowledge module provides it from its embedding model. {@link #NONE} knows no meanings (all 0): the
 * responder then ranks by shared words alone.
 */
@FunctionalInterface
public interface SentenceSimilarity {

    /** No embedding model: every sentence 0. */
    SentenceSimilarity NONE = (question, sentences) -> Collections.nCopies(sentences.size(), 0.0);

    /**
     * The similarities, in the order of {@code sentences}; an implementation that cannot compute them (its model
     * failed) answers {@link #NONE}'s zeros rather than failing, since the responder is the last resort.
     */
    List<Double> similarities(String question, List<String> sentences);
}
