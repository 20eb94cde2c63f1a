package dev.switchboard.llm;

/**
 * A passage an answer relies on, with the marker ({@code [1]}, {@code [2]}…) that refers to it in the text.
 *
 * @param marker the number used in the answer's text
 * @param passageId the {@link Passage#id()} cited
 * @param source what the passage is called ({@link Passage#source()})
 * @param quote the words quoted, when the answer quotes verbatim; otherwise empty
 */
public record Citation(int marker, String passageId, String source, String quote) {
}
