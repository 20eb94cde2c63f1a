package dev.switchboard.sql.internal.execution;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * How one engine makes a session safe for an untrusted query and puts it back afterwards. The order of a run is
 * {@link #begin}, {@link #notAQuery}, the query, a rollback, {@link #end}.
 */
sealed interface ReadOnlySession permits PostgresSession, MysqlSession {

    static ReadOnlySession of(DatabaseKind kind) {
        return switch (kind) {
            case POSTGRESQL -> new PostgresSession();
            case MYSQL -> new MysqlSession("max_execution_time", 1);
            case MARIADB -> new MysqlSession("max_statement_time", 1000);
        };
    }

    /**
     * Opens a read-only transaction with the statement timeout set on the server. The connection's auto-commit is
     * already off.
     */
    void begin(Connection connection, Duration timeout) throws SQLException;

    /**
     * Asks the server (and the driver) whether the text is one plannable statement, without running it; answers
     * the failure, if not. Runs inside the read-only transaction.
     */
    Optional<QueryOutcome.Failed> notAQuery(Connection connection, String sql) throws SQLException;

    /** Undoes what the query may have changed in the session; runs after the rollback, in auto-commit. */
    void end(Connection connection) throws SQLException;

    /** What a failure of the query means. */
    FailureKind classify(SQLException failure);

    /** Whether the server could not parse the statement (under EXPLAIN: it is not a query). */
    boolean syntaxError(SQLException failure);

    static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * EXPLAIN plans a statement without running it and accepts only queries and data-changing statements (which
     * the read-only transaction refuses); DDL, SET, COPY, CALL, DO, LOCK, HANDLER and the like are syntax errors
     * under it. So a statement EXPLAIN refuses is not sent at all.
     */
    default Optional<QueryOutcome.Failed> explainable(Connection connection, String sql) {
        try {
            run(connection, "EXPLAIN " + sql);
            return Optional.empty();
        }
        catch (SQLException ex) {
            // Nothing runs after a failed EXPLAIN; the kind only tells the caller what to fix.
            FailureKind kind = syntaxError(ex) ? FailureKind.NOT_A_QUERY : classify(ex);
            String reason = switch (kind) {
                case NOT_A_QUERY -> "the database does not accept it as a query: " + ReadOnlyExecutor.firstLine(ex);
                // MariaDB refuses to even plan a write inside a read-only transaction.
                case READ_ONLY_VIOLATION -> ReadOnlyExecutor.READ_ONLY_REASON;
                default -> ReadOnlyExecutor.firstLine(ex);
            };
            return Optional.of(new QueryOutcome.Failed(kind, reason));
        }
    }

}
