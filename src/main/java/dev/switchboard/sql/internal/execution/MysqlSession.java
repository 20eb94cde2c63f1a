package dev.switchboard.sql.internal.execution;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * MySQL and MariaDB: the session's statement timeout ({@code max_execution_time} in milliseconds for MySQL,
 * {@code max_statement_time} in seconds for MariaDB) set for the run and put back after it, and
 * {@code START TRANSACTION READ ONLY}.
 * <p>
 * A read-only transaction does not stop DDL there: {@code DROP TABLE} commits implicitly and runs (MariaDB 10.11,
 * checked). So the statement must first pass {@code EXPLAIN}, which accepts only queries and data-changing
 * statements (which the read-only transaction refuses). The drivers send a text with several statements as one
 * packet that the server refuses unless multi-statements were enabled on the connection (they are not by
 * default; the connection registry must not enable them).
 */
final class MysqlSession implements ReadOnlySession {

    private static final int MYSQL_QUERY_TIMEOUT = 3024;

    private static final int MARIADB_STATEMENT_TIMEOUT = 1969;

    private static final int READ_ONLY_TRANSACTION = 1792;

    private static final int PARSE_ERROR = 1064;

    private static final int SYNTAX_ERROR = 1149;

    private final String timeoutVariable;

    /** How many units of the variable make one millisecond's worth: 1 for milliseconds, 1000 for seconds. */
    private final int millisPerUnit;

    private String previousTimeout;

    MysqlSession(String timeoutVariable, int millisPerUnit) {
        this.timeoutVariable = timeoutVariable;
        this.millisPerUnit = millisPerUnit;
    }

    @Override
    public void begin(Connection connection, Duration timeout) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet previous = statement.executeQuery("SELECT @@SESSION." + this.timeoutVariable)) {
            previous.next();
            this.previousTimeout = previous.getString(1);
        }
        String value = this.millisPerUnit == 1 ? Long.toString(Math.max(1, timeout.toMillis()))
                : String.format(java.util.Locale.ROOT, "%.3f", timeout.toMillis() / (double) this.millisPerUnit);
        ReadOnlySession.run(connection, "SET SESSION " + this.timeoutVariable + " = " + value);
        ReadOnlySession.run(connection, "START TRANSACTION READ ONLY");
    }

    @Override
    public Optional<QueryOutcome.Failed> notAQuery(Connection connection, String sql) {
        return explainable(connection, sql);
    }

    @Override
    public void end(Connection connection) throws SQLException {
        if (this.previousTimeout != null && this.previousTimeout.matches("[0-9.]+")) {
            ReadOnlySession.run(connection, "SET SESSION " + this.timeoutVariable + " = " + this.previousTimeout);
        }
    }

    @Override
    public boolean syntaxError(SQLException failure) {
        return failure.getErrorCode() == PARSE_ERROR || failure.getErrorCode() == SYNTAX_ERROR;
    }

    @Override
    public FailureKind classify(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        int code = failure.getErrorCode();
        if (code == MYSQL_QUERY_TIMEOUT || code == MARIADB_STATEMENT_TIMEOUT || state.equals("70100")) {
            return FailureKind.TIMEOUT;
        }
        if (code == READ_ONLY_TRANSACTION || state.equals("25006")) {
            return FailureKind.READ_ONLY_VIOLATION;
        }
        return state.startsWith("08") ? FailureKind.CONNECTION_FAILED : FailureKind.DATABASE_ERROR;
    }

}
