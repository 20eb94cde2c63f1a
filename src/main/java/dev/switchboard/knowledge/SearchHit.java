package dev.switchboard.knowledge;

import java.util.UUID;

/**
 * A passage found in a knowledge base: what a citation needs to point at it exactly.
 *
 * @param location the page or section it comes from ("page 3", "Installation > Linux"), or empty
 * @param score the fused retrieval score (higher is better; comparable within one search only)
 */
public record SearchHit(UUID documentId, String documentName, UUID chunkId, String location, double score, String text) {
}
