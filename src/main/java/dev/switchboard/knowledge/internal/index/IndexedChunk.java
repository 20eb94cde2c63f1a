package dev.switchboard.knowledge.internal.index;

import java.util.UUID;

/**
 * A chunk as the index stores it.
 *
 * @param chunkId stable id of the chunk (also the row in {@code knowledge_chunks})
 * @param ordinal position of the chunk within its document, from 0
 * @param location page or section the chunk comes from ("page 3", "Installation > Linux"), or empty
 * @param text the chunk's text, as shown in citations
 * @param model the embedding model that made {@code vector} ({@link
 *        dev.switchboard.knowledge.internal.embedding.Embedder#modelId()}): vectors of different models live in
 *        separate spaces and are only ever compared with a query vector of the same model
 * @param vector its embedding (L2-normalised)
 */
public record IndexedChunk(UUID tenantId, UUID knowledgeBaseId, UUID documentId, String documentName, UUID chunkId,
        int ordinal, String location, String text, String model, float[] vector) {
}
