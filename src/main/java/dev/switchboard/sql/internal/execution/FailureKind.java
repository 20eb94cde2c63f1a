package dev.switchboard.sql.internal.execution;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a query did not produce rows. */
public enum FailureKind {

    /** The server stopped the statement at the statement timeout. */
    TIMEOUT,
    /** The statement tried to write; the read-only transaction refused it. */
    READ_ONLY_VIOLATION,
    /** The server (or its driver) says the text is not a single query; it was not run. */
    NOT_A_QUERY,
    /** The database refused the query (an unknown column, a type error, …); the reason is its message. */
    DATABASE_ERROR,
    /** The database could not be reached or the connection broke. */
    CONNECTION_FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

}
