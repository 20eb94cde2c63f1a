package dev.switchboard.knowledge.internal.retrieval;

import java.util.List;

import dev.switchboard.knowledge.internal.index.ChunkHit;

/**
 * What a hybrid search found.
 *
 * @param hits the fused ranking, best first (scores are fused scores, comparable within this search only)
 * @param topSimilarity the highest cosine similarity between the query and any chunk in scope (the dense
 *        search's first hit), or 0 when nothing is in scope: the relevance signal, on a scale that means the
 *        same from one query to the next
 */
public record Retrieval(List<ChunkHit> hits, double topSimilarity) {

    public Retrieval {
        hits = List.copyOf(hits);
    }

    /** Whether anything clears the threshold (see {@link HybridRetriever#RELEVANCE_THRESHOLD}). */
    public boolean relevant(double threshold) {
        return !hits.isEmpty() && topSimilarity >= threshold;
    }
}
