package dev.switchboard.knowledge.internal.index;

import java.util.List;

/**
 * The two candidate lists of a hybrid search, each best first, and the query terms each candidate contains where the
 * index could read them ({@link QueryTerms#NONE} otherwise).
 */
public record Candidates(List<ChunkHit> dense, List<ChunkHit> lexical, QueryTerms queryTerms) {

    public Candidates {
        dense = List.copyOf(dense);
        lexical = List.copyOf(lexical);
    }
}
