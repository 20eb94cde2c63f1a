package dev.switchboard.knowledge.internal.parsing;

import java.nio.charset.StandardCharsets;

/** Files built to exhaust ingestion, shared by the parser tests and the integration tests. */
public final class HostileDocuments {

    private HostileDocuments() {
    }

    /** 400,000 array items under a 40,000-character key: 16 billion characters as "path: value" lines. */
    public static byte[] jsonBomb() {
        StringBuilder json = new StringBuilder("{\"").append("k".repeat(40_000)).append("\":[");
        for (int i = 0; i < 400_000; i++) {
            json.append(i == 0 ? "" : ",").append('1');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A header of 100 cells of 60 characters, then 10,000 rows of empty cells: every comma repeats a 60-character label,
     * 62 million characters from a file of one megabyte (small enough a header for the type to be detected as CSV).
     */
    public static byte[] csvHeaderBomb() {
        StringBuilder csv = new StringBuilder();
        for (int cell = 0; cell < 100; cell++) {
            csv.append(cell == 0 ? "" : ",").append(String.format("h%03d", cell)).append("x".repeat(56));
        }
        csv.append('\n');
        String emptyRow = "a" + ",".repeat(99) + "\n";
        csv.append(emptyRow.repeat(10_000));
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A Markdown table line of {@code spaces} spaces after a pipe (the old separator regex took hours on two million). */
    public static byte[] markdownSpaces(int spaces) {
        return ("# Spaces\n\n| " + " ".repeat(spaces) + "x\n").getBytes(StandardCharsets.UTF_8);
    }
}
