package dev.switchboard.knowledge.internal.parsing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns Tika's XHTML events into blocks: {@code h1}–{@code h6} headings, paragraphs ({@code p}, list items,
 * preformatted text…), tables (rows on lines, cells joined by " | "), and pages ({@code div class="page"} for
 * PDFs and sheets, {@code div class="slide-content"} for slides). Stops with {@link TooMuchText} once the text
 * exceeds its budget (characters or time), so an archive bomb or a giant sheet cannot exhaust memory.
 */
final class StructureHandler extends DefaultHandler {

    /** Thrown (through SAX) when the document expands beyond the limit or the deadline passed; the message says which. */
    static final class TooMuchText extends SAXException {

        TooMuchText(String reason) {
            super(reason);
        }
    }

    private final ExtractionBudget budget;
    private final List<ParsedDocument.Block> blocks = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder row = new StringBuilder();
    private final StringBuilder table = new StringBuilder();
    private int page;
    private int headingLevel;
    private int tableDepth;
    private boolean inCell;
    private boolean inTitle;
    private final StringBuilder title = new StringBuilder();

    StructureHandler(ExtractionBudget budget) {
        this.budget = budget;
    }

    ParsedDocument document() {
        flushText();
        return new ParsedDocument(title.toString().strip(), blocks);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        String name = localName.toLowerCase(Locale.ROOT);
        switch (name) {
            case "title" -> inTitle = true;
            case "div" -> {
                String type = attributes.getValue("class");
                if ("page".equals(type) || "slide-content".equals(type)) {
                    flushText();
                    page++;
                }
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                if (tableDepth == 0) {
                    flushText();
                    headingLevel = name.charAt(1) - '0';
                }
            }
            case "table" -> {
                flushText();
                tableDepth++;
            }
            case "tr" -> row.setLength(0);
            case "td", "th" -> {
                if (!row.isEmpty()) {
                    row.append(" | ");
                }
                inCell = true;
            }
            case "p", "li", "pre", "blockquote", "dd", "dt" -> {
                if (tableDepth == 0) {
                    flushText();
                }
            }
            case "br" -> append("\n");
            default -> {
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = localName.toLowerCase(Locale.ROOT);
        switch (name) {
            case "title" -> inTitle = false;
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                if (tableDepth == 0) {
                    String heading = text.toString().strip().replaceAll("\\s+", " ");
                    if (!heading.isEmpty()) {
                        blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.HEADING, headingLevel, page, heading));
                    }
                    text.setLength(0);
                    headingLevel = 0;
                }
            }
            case "td", "th" -> inCell = false;
            case "tr" -> {
                String line = row.toString().strip();
                if (!line.replace("|", "").isBlank()) {
                    table.append(line).append('\n');
                }
                row.setLength(0);
            }
            case "table" -> {
                tableDepth = Math.max(0, tableDepth - 1);
                if (tableDepth == 0) {
                    String rows = table.toString().strip();
                    if (!rows.isEmpty()) {
                        blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.TABLE, 0, page, rows));
                    }
                    table.setLength(0);
                }
            }
            case "p", "li", "pre", "blockquote", "dd", "dt" -> {
                if (tableDepth == 0) {
                    flushText();
                }
            }
            default -> {
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        try {
            budget.take(length);
        }
        catch (ExtractionBudget.Exceeded exceeded) {
            throw new TooMuchText(exceeded.getMessage());
        }
        append(new String(ch, start, length));
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        // Layout only.
    }

    private void append(String chars) {
        if (inTitle) {
            title.append(chars);
        }
        else if (tableDepth > 0) {
            if (inCell) {
                row.append(chars.replace('\n', ' ').replace('|', '/'));
            }
        }
        else {
            text.append(chars);
        }
    }

    private void flushText() {
        String paragraph = text.toString().strip();
        if (!paragraph.isEmpty()) {
            blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.PARAGRAPH, 0, page, paragraph));
        }
        text.setLength(0);
    }
}
