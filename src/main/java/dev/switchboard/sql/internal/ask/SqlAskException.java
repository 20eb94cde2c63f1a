package dev.switchboard.sql.internal.ask;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;

/**
 * A question that got no rows: 422 with the statement and the reason as problem properties ({@code sql},
 * {@code reason}, {@code refusal}), so that the asker sees what the model wrote and why it did not run.
 */
final class SqlAskException extends SwitchboardException {

    static final String REJECTED = "sql-rejected";
    static final String FAILED = "sql-failed";
    static final String NOT_WRITTEN = "sql-not-written";

    private final String slug;

    private SqlAskException(String slug, String detail, String sql, String reason, String refusal) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, slug, detail);
        this.slug = slug;
        if (sql != null) {
            getBody().setProperty("sql", sql);
        }
        getBody().setProperty("reason", reason);
        if (refusal != null) {
            getBody().setProperty("refusal", refusal);
        }
    }

    /** The guard refused the last statement; nothing reached the database. */
    static SqlAskException rejected(String sql, String reason, String refusal) {
        return new SqlAskException(REJECTED, "The query the model wrote was refused and not run: " + reason
                + ". Rephrase the question, or ask an administrator to allow what it needs.", sql, reason, refusal);
    }

    /** The database refused or stopped the last statement; it changed nothing. */
    static SqlAskException failed(String sql, String reason, String failure) {
        return new SqlAskException(FAILED, "The database could not run the query the model wrote: " + reason
                + ". Rephrase the question more precisely.", sql, reason, failure);
    }

    /** The model wrote no statement (it may have said why). */
    static SqlAskException notWritten(String said) {
        String reason = said == null || said.isBlank() ? "the model's reply held no query" : said;
        return new SqlAskException(NOT_WRITTEN, "The model wrote no query for this question: " + reason, null, reason, null);
    }

    String slug() {
        return slug;
    }

    String reason() {
        return (String) getBody().getProperties().get("reason");
    }

    String sql() {
        return (String) getBody().getProperties().get("sql");
    }
}
