package dev.switchboard.sql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A committed corpus of statements under {@code src/test/resources/sql/}: each entry starts with a header line
 * {@code === category: description} and its statement is every line up to the next header (so statements may
 * span lines and hold comments, semicolons and any character).
 */
public final class SqlCorpus {

    /** One statement of a corpus. */
    public record Entry(String category, String description, String sql) {

        @Override
        public String toString() {
            return this.category + ": " + this.description;
        }

    }

    private SqlCorpus() {
    }

    public static List<Entry> load(String resource) {
        try (InputStream in = SqlCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no corpus at " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String header = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("=== ")) {
                add(entries, header, body);
                header = line.substring(4).trim();
                body.setLength(0);
            }
            else if (header != null) {
                body.append(line).append('\n');
            }
        }
        add(entries, header, body);
        return entries;
    }

    private static void add(List<Entry> entries, String header, StringBuilder body) {
        if (header == null) {
            return;
        }
        int colon = header.indexOf(':');
        String sql = body.toString().stripTrailing();
        if (colon < 0 || sql.isBlank()) {
            throw new IllegalStateException("corpus entry without category or statement: " + header);
        }
        entries.add(new Entry(header.substring(0, colon).trim(), header.substring(colon + 1).trim(), sql));
    }

}
