package dev.switchboard.knowledge.internal.parsing;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain-text formats read directly, so that their structure survives: Markdown (headings, tables, fenced
 * code), plain text (paragraphs) and CSV (rows that repeat the header). Every step is a single pass over its
 * input — no backtracking regular expressions, which a line of two million spaces after a {@code |} turned
 * into hours of work — and every character produced is taken from the {@link ExtractionBudget}.
 */
final class TextFormats {

    private TextFormats() {
    }

    static ParsedDocument markdown(String text, ExtractionBudget budget) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        StringBuilder table = new StringBuilder();
        boolean fenced = false;
        for (String line : lines(text, budget)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                append(paragraph, line, budget);
                continue;
            }
            int level = fenced ? 0 : headingLevel(line);
            if (level > 0) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                flush(blocks, table, ParsedDocument.Kind.TABLE);
                String heading = line.substring(level).strip();
                budget.take(heading.length());
                blocks.add(new ParsedDocument.Block(ParsedDocument.Kind.HEADING, level, 0, heading));
            }
            else if (!fenced && firstNonSpace(line, budget) == '|') {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                if (!isTableSeparator(line, budget)) {
                    append(table, tableRow(line, budget), budget);
                }
            }
            else if (!fenced && line.isBlank()) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
                flush(blocks, table, ParsedDocument.Kind.TABLE);
            }
            else {
                flush(blocks, table, ParsedDocument.Kind.TABLE);
                append(paragraph, line, budget);
            }
        }
        flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
        flush(blocks, table, ParsedDocument.Kind.TABLE);
        String title = blocks.stream().filter(b -> b.kind() == ParsedDocument.Kind.HEADING && b.level() == 1).map(
                ParsedDocument.Block::text)
                .findFirst().orElse("");
        return new ParsedDocument(title, blocks);
    }

    /** Paragraphs separated by blank lines. */
    static ParsedDocument plainText(String text, ExtractionBudget budget) {
        List<ParsedDocument.Block> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines(text, budget)) {
            if (line.isBlank()) {
                flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
            }
            else {
                append(paragraph, line, budget);
            }
        }
        flush(blocks, paragraph, ParsedDocument.Kind.PARAGRAPH);
        return new ParsedDocument("", blocks);
    }

    /**
     * A CSV as a table whose every row repeats the header, so that each chunk of rows stays understandable. The
     * repetition is what a hostile CSV multiplies (a long header, rows of empty cells), so each cell is taken from
     * the budget before it is written.
     */
    static ParsedDocument csv(String text, ExtractionBudget budget) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        budget.scanned(text.length());
        if (lines.isEmpty()) {
            return new ParsedDocument("", List.of());
        }
        String first = lines.getFirst();
        char separator = first.contains("\t") ? '\t' : first.contains(";") && !first.contains(",") ? ';' : ',';
        List<String> header = cells(first, separator, budget);
        StringBuilder rows = new StringBuilder();
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = cells(line, separator, budget);
            for (int i = 0; i < cells.size(); i++) {
                String label = i < header.size() && !header.get(i).isBlank() ? header.get(i) + ": " : "";
                budget.take((i > 0 ? 3 : 0) + label.length() + cells.get(i).length());
                rows.append(i > 0 ? " | " : "").append(label).append(cells.get(i));
            }
            budget.take(1);
            rows.append('\n');
        }
        if (lines.size() == 1) {
            String joined = String.join(" | ", header);
            budget.take(joined.length());
            rows.append(joined);
        }
        return new ParsedDocument("", List.of(new ParsedDocument.Block(ParsedDocument.Kind.TABLE, 0, 0, rows.toString().strip())));
    }

    /** Cells of one CSV line, honouring double quotes. */
    static List<String> cells(String line, char separator, ExtractionBudget budget) {
        budget.scanned(line.length());
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                }
                else {
                    quoted = !quoted;
                }
            }
            else if (c == separator && !quoted) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            }
            else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** Lines split on {@code \n}, keeping empty ones. */
    static List<String> lines(String text, ExtractionBudget budget) {
        budget.scanned(text.length());
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** 1–6 for {@code #} to {@code ######} followed by a space, else 0. */
    static int headingLevel(String line) {
        int level = 0;
        while (level < line.length() && level < 7 && line.charAt(level) == '#') {
            level++;
        }
        return level >= 1 && level <= 6 && level < line.length() && line.charAt(level) == ' ' ? level : 0;
    }

    /** A table's delimiter row ({@code |---|:--:|}): a pipe, then only pipes, colons, dashes and spaces. */
    static boolean isTableSeparator(String line, ExtractionBudget budget) {
        String row = line.stripLeading();
        budget.scanned(line.length() + row.length());
        if (row.length() < 2 || row.charAt(0) != '|') {
            return false;
        }
        for (int i = 1; i < row.length(); i++) {
            char c = row.charAt(i);
            if (c != '|' && c != ':' && c != '-' && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** A table row's cells, without the outer pipes, each stripped and joined by " | ". */
    static String tableRow(String line, ExtractionBudget budget) {
        String row = line.strip();
        budget.scanned(line.length() + row.length());
        int from = row.startsWith("|") ? 1 : 0;
        int to = row.length() > from && row.endsWith("|") ? row.length() - 1 : row.length();
        StringBuilder joined = new StringBuilder(to - from);
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || row.charAt(i) == '|') {
                String cell = row.substring(start, i).strip();
                if (start > from) {
                    joined.append(" | ");
                }
                joined.append(cell);
                start = i + 1;
            }
        }
        return joined.toString().strip();
    }

    private static char firstNonSpace(String line, ExtractionBudget budget) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                budget.scanned(i + 1);
                return line.charAt(i);
            }
        }
        budget.scanned(line.length());
        return 0;
    }

    private static void append(StringBuilder block, String line, ExtractionBudget budget) {
        budget.take(line.length() + 1L);
        block.append(line).append('\n');
    }

    static void flush(List<ParsedDocument.Block> blocks, StringBuilder text, ParsedDocument.Kind kind) {
        String content = text.toString().strip();
        if (!content.isEmpty()) {
            blocks.add(new ParsedDocument.Block(kind, 0, 0, content));
        }
        text.setLength(0);
    }
}
