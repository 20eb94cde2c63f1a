package dev.switchboard.knowledge.internal.index;

import java.util.UUID;

/** A chunk found by a search, with the score of that search (BM25, cosine, or fused). */
public record ChunkHit(UUID chunkId, UUID documentId, String documentName, UUID knowledgeBaseId, int ordinal, String location,
        String text, double score) {

    public ChunkHit withScore(double newScore) {
        return new ChunkHit(chunkId, documentId, documentName, knowledgeBaseId, ordinal, location, text, newScore);
    }
}
