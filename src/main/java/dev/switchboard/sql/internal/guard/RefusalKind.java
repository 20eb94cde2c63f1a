package dev.switchboard.sql.internal.guard;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why the guard refused a statement. The kind is stable (problem details, audit, metrics); the refusal's
 * message says what to change.
 */
public enum RefusalKind {

    /** Empty, too long, or characters and lexical forms the engines read differently from the parser. */
    LEXICAL,
    /** The parser could not read the statement; what is not understood is not run. */
    UNPARSABLE,
    /** More than one statement (stacked statements). */
    MULTIPLE_STATEMENTS,
    /** A statement that is not a plain query: writes, DDL, COPY, CALL, SET, GRANT, LOCK, EXPLAIN and the like. */
    NOT_A_QUERY,
    /** A clause that writes or locks: SELECT … INTO, FOR UPDATE/SHARE, LOCK IN SHARE MODE, a writing CTE. */
    WRITING_OR_LOCKING_CLAUSE,
    /** A table outside the connection's allow-list. */
    TABLE_NOT_ALLOWED,
    /** A system catalogue ({@code pg_catalog}, {@code information_schema}, {@code mysql}, …): never readable. */
    SYSTEM_CATALOGUE,
    /** A column outside the allow-list, a {@code *} over restricted columns, or a masked column used in a computation. */
    COLUMN_NOT_ALLOWED,
    /** A function outside the dialect's allow-list of safe functions. */
    FUNCTION_NOT_ALLOWED,
    /** A cast to a type outside the allow-list (e.g. {@code regclass}, {@code regproc}). */
    TYPE_NOT_ALLOWED,
    /** A construct the guard does not analyse; refused rather than run unexamined. */
    UNSUPPORTED_CONSTRUCT;

    /** The kind as written in JSON, logs and the audit: {@code table_not_allowed}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

}
