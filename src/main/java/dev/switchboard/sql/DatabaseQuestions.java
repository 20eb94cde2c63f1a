package dev.switchboard.sql;

import java.util.List;
import java.util.Optional;

import dev.switchboard.identity.Caller;

/**
 * Questions in plain language answered from a registered database: a model writes one query from the question, the
 * database's dialect and the part of its schema the question needs; the guard proves it harmless and the executor
 * runs it read-only under the database's limits. What the REST API ({@code POST /api/sql/ask}), the personas'
 * {@code query_database/<name>} tools and the MCP server's {@code query_database} tool call.
 *
 * <p>Every ask is audited ({@code sql.asked}) with the SQL and its outcome. Failures are problems
 * ({@link dev.switchboard.shared.SwitchboardException}): 404 {@code not-found} for a database the caller may not use,
 * 422 {@code sql-rejected} (the guard refused the statement; nothing reached the database), {@code sql-failed} (the
 * database refused it) and {@code sql-not-written} (the model wrote no query), each after the bounded correction
 * rounds and carrying {@code sql} and {@code reason}; 503 {@code database-unavailable} or {@code llm-unavailable}.
 */
public interface DatabaseQuestions {

    /** The databases the caller may ask questions of (admins: all of the tenant's), by name. */
    List<AskableDatabase> askable(Caller caller);

    /** The database with this id or name, if the caller may ask questions of it. */
    Optional<AskableDatabase> askable(String idOrName, Caller caller);

    /**
     * Answers the question.
     *
     * @param progress told of each statement the guard admitted, before it runs
     */
    SqlAnswer ask(SqlQuestion question, AskProgress progress);

    /** What an ask reports while it works: for streams. */
    @FunctionalInterface
    interface AskProgress {

        AskProgress NONE = (sql, explanation, attempt) -> {
        };

        /**
         * The guard admitted a statement, which now runs.
         *
         * @param attempt 1 for the model's first statement, one more for each correction
         */
        void statement(String sql, String explanation, int attempt);
    }
}
