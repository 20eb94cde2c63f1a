package dev.switchboard.knowledge.internal.retrieval;

import java.util.List;

import dev.switchboard.knowledge.internal.index.ChunkHit;

/**
 * What a hybrid search found.
 *
 * @param hits the fused ranking, best first (scores are fused scores, comparable within this search only)
 * @param relevance the relevance verdict and the evidence behind it (see {@link RelevanceDecision})
 */
public record Retrieval(List<ChunkHit> hits, Relevance relevance) {

    public Retrieval {
        hits = List.copyOf(hits);
    }

    /**
     * The highest cosine similarity between the query and any chunk in scope (the dense search's first hit), or 0 when
     * nothing is in scope: on a scale that means the same from one query to the next.
     */
    public double topSimilarity() {
        return relevance.topSimilarity();
    }

    /** Whether something relevant was found (the decision of {@link RelevanceSettings}). */
    public boolean relevant() {
        return !hits.isEmpty() && relevance.relevant();
    }
}
