package dev.switchboard.sql.internal.guard;

import java.util.Optional;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * Refuses, before parsing, the lexical forms on which the database server and the parser could disagree about
 * where a string, an identifier or a comment ends. The guard runs SQL printed back from the syntax tree, so
 * ordinary comments are simply dropped; what remains dangerous is text the parser keeps verbatim or skips
 * while a server would execute it:
 * <ul>
 * <li>backslashes (MySQL escapes quotes with them, PostgreSQL's {@code E''} and {@code U&''} strings too; a
 * {@code \g} or {@code \!} is a client command);</li>
 * <li>MySQL executable comments {@code /*! … *}{@code /}, MariaDB's {@code /*M! … *}{@code /} and optimizer hints
 * {@code /*+ … *}{@code /} (which can set session variables): the server runs what the parser sees as a
 * comment;</li>
 * <li>nested block comments (PostgreSQL nests them, MySQL and the parser do not), {@code #} comments and
 * {@code --} without a following space (MySQL reads {@code 1--1} as arithmetic), dollar quoting (PostgreSQL only)
 * and backticks outside MySQL;</li>
 * <li>characters outside printable ASCII anywhere but inside string literals (lookalike letters, full-width
 * semicolons, invisible characters, NUL).</li>
 * </ul>
 * The scan knows only strings, quoted identifiers and comments; everything else is the parser's job.
 */
final class LexicalScreen {

    /** Far above any query a model writes for a question (the longest in our valid corpus is under 1,000). */
    static final int MAX_SQL_CHARS = 20_000;

    private LexicalScreen() {
    }

    static Optional<GuardVerdict.Refused> screen(String sql, DatabaseKind kind) {
        try {
            scan(sql, kind);
            return Optional.empty();
        }
        catch (GuardRefusal refusal) {
            return Optional.of(refusal.verdict());
        }
    }

    private static void scan(String sql, DatabaseKind kind) {
        if (sql == null || sql.isBlank()) {
            throw refuse("the statement is empty; write one SELECT query");
        }
        if (sql.length() > MAX_SQL_CHARS) {
            throw refuse("the statement is longer than " + MAX_SQL_CHARS + " characters; write a shorter query");
        }
        if (sql.indexOf('\\') >= 0) {
            throw refuse("backslashes are not accepted (engines disagree on escapes, and \\g or \\! are client "
                    + "commands); write string values without backslashes");
        }
        int i = 0;
        while (i < sql.length()) {
            i = next(sql, i, kind);
        }
    }

    /** Consumes one lexical unit starting at {@code i} and returns the index after it. */
    private static int next(String sql, int i, DatabaseKind kind) {
        char c = sql.charAt(i);
        if (c == '\'') {
            return closing(sql, i, '\'', "a string literal");
        }
        if (c == '"') {
            return ascii(sql, i, closing(sql, i, '"', "a quoted identifier"));
        }
        if (c == '`') {
            if (!kind.mysqlFamily()) {
                throw refuse("backticks are not PostgreSQL syntax; quote identifiers with double quotes");
            }
            return ascii(sql, i, closing(sql, i, '`', "a quoted identifier"));
        }
        if (c == '-' && sql.startsWith("--", i)) {
            if (kind.mysqlFamily() && i + 2 < sql.length() && !Character.isWhitespace(sql.charAt(i + 2))) {
                throw refuse("-- starts a comment in MySQL only when a space follows; write a space after -- or "
                        + "between two minus signs");
            }
            return lineEnd(sql, i);
        }
        if (c == '#' && kind.mysqlFamily()) {
            throw refuse("# comments are not accepted; use -- comments or none");
        }
        if (c == '/' && sql.startsWith("/*", i)) {
            return blockComment(sql, i);
        }
        if (c == '$' && !kind.mysqlFamily()) {
            throw refuse("$ is not accepted outside strings (no dollar quoting or parameters); use single-quoted "
                    + "strings");
        }
        if (!printableAscii(c)) {
            throw refuse(describe(c) + " is not accepted outside string literals; write identifiers and keywords "
                    + "in plain ASCII");
        }
        return i + 1;
    }

    private static int closing(String sql, int start, char quote, String what) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            if (sql.charAt(i) == 0) {
                throw refuse("a NUL character is not accepted");
            }
            i++;
        }
        throw refuse(what + " is not closed");
    }

    private static int ascii(String sql, int start, int end) {
        for (int i = start; i < end; i++) {
            if (!printableAscii(sql.charAt(i))) {
                throw refuse(describe(sql.charAt(i)) + " is not accepted in identifiers; use plain ASCII names");
            }
        }
        return end;
    }

    private static int lineEnd(String sql, int start) {
        int end = start;
        while (end < sql.length() && sql.charAt(end) != '\n' && sql.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    private static int blockComment(String sql, int start) {
        if (sql.startsWith("/*!", start) || sql.startsWith("/*M!", start)) {
            throw refuse("executable comments (/*! ... */) are not accepted: the server runs them; remove them");
        }
        if (sql.startsWith("/*+", start)) {
            throw refuse("optimizer hints (/*+ ... */) are not accepted; remove them");
        }
        int end = sql.indexOf("*/", start + 2);
        if (end < 0) {
            throw refuse("a /* comment is not closed");
        }
        if (sql.substring(start + 2, end).contains("/*")) {
            throw refuse("nested /* comments are not accepted (engines end them differently); remove them");
        }
        return end + 2;
    }

    private static boolean printableAscii(char c) {
        return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
    }

    private static String describe(char c) {
        return String.format("the character U+%04X", (int) c);
    }

    private static GuardRefusal refuse(String reason) {
        return new GuardRefusal(RefusalKind.LEXICAL, reason);
    }

}
