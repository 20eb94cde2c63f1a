package dev.switchboard.knowledge.internal.index;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The two candidate lists of a hybrid search, each best first, and the query terms each candidate contains where the
 * index could read them ({@link QueryTerms#NONE} otherwise).
 * <p>
 * A candidate whose query terms were read may be a bare hit: its chunk id and score only, the rest (text, document,
 * location) null, because reading 200 candidates' stored fields to keep 8 of them was the largest cost of a Lucene
 * search. {@link #complete} gives the hits kept in full.
 *
 * @param complete the hits given (candidates of these lists, any score) in full, in the same order with the same
 *        scores; a chunk removed from the index meanwhile is left out
 */
public record Candidates(List<ChunkHit> dense, List<ChunkHit> lexical, QueryTerms queryTerms, UnaryOperator<List<ChunkHit>> complete) {

    public Candidates {
        dense = List.copyOf(dense);
        lexical = List.copyOf(lexical);
    }

    /** Candidates read in full. */
    public Candidates(List<ChunkHit> dense, List<ChunkHit> lexical, QueryTerms queryTerms) {
        this(dense, lexical, queryTerms, UnaryOperator.identity());
    }

    /** The hits in full (see {@code complete}). */
    public List<ChunkHit> complete(List<ChunkHit> hits) {
        return complete.apply(hits);
    }
}
