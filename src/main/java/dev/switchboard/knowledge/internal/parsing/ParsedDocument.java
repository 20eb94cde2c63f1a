package dev.switchboard.knowledge.internal.parsing;

import java.util.List;

/**
 * A document's text with its structure, as the parser found it: blocks in reading order.
 *
 * @param title the document's title when it has one, else empty
 * @param blocks headings, paragraphs and tables, in order
 */
public record ParsedDocument(String title, List<Block> blocks) {

    public ParsedDocument {
        blocks = List.copyOf(blocks);
    }

    /** What a block is. */
    public enum Kind {
        HEADING, PARAGRAPH, TABLE
    }

    /**
     * One block of text.
     *
     * @param level heading level 1-6 for headings, 0 otherwise
     * @param page the page it is on (PDF, presentations: slide), or 0 when the format has no pages
     * @param text the text; a table's rows one per line, cells separated by " | "
     */
    public record Block(Kind kind, int level, int page, String text) {
    }
}
