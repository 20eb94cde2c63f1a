package dev.switchboard.llm;

/**
 * A piece of text a request may be answered from (later: a retrieved chunk), with what a citation needs.
 *
 * @param id stable identifier of the passage (a chunk id)
 * @param source what to call it in a citation (a document name, with page or section)
 * @param text the passage itself
 */
public record Passage(String id, String source, String text) {
}
