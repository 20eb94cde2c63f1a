package dev.switchboard.knowledge.internal.index;

import java.util.UUID;

/**
 * A chunk found by a search, with the score of that search (BM25, cosine, or fused). A bare candidate of
 * {@link Candidates} carries only its chunk id and score.
 */
public record ChunkHit(UUID chunkId, UUID documentId, String documentName, UUID knowledgeBaseId, int ordinal, String location,
        String text, double score) {

    /** A candidate not read yet: its id and score. */
    static ChunkHit bare(UUID chunkId, double score) {
        return new ChunkHit(chunkId, null, null, null, 0, null, null, score);
    }

    public ChunkHit withScore(double newScore) {
        return new ChunkHit(chunkId, documentId, documentName, knowledgeBaseId, ordinal, location, text, newScore);
    }
}
