package dev.switchboard.knowledge.internal.chunking;

/**
 * A piece of a document small enough to embed and to cite.
 *
 * @param ordinal position within the document, from 0
 * @param location page or section path it comes from ("page 3", "Installation > Linux"), or empty
 * @param text the chunk's text (what is embedded, indexed and cited)
 */
public record Chunk(int ordinal, String location, String text) {
}
