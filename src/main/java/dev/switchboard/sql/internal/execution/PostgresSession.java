package dev.switchboard.sql.internal.execution;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL: {@code SET TRANSACTION READ ONLY} and {@code SET LOCAL statement_timeout} (and
 * {@code lock_timeout}) inside the transaction, so both end with it; afterwards {@code CLOSE ALL},
 * {@code UNLISTEN *}, {@code RESET ALL}, {@code RESET ROLE} and the release of advisory locks.
 * <p>
 * The JDBC driver splits a text at semicolons and sends each part; a {@code COMMIT} among them would end the
 * read-only transaction and let the next part write. So the text is first split with the driver's own parser
 * (reached by reflection: the driver is a runtime dependency) and refused unless it is exactly one statement.
 */
final class PostgresSession implements ReadOnlySession {

    private static final String QUERY_CANCELED = "57014";

    private static final String SYNTAX_ERROR = "42601";

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final String READ_ONLY_TRANSACTION = "25006";

    @Override
    public void begin(Connection connection, Duration timeout) throws SQLException {
        long millis = Math.max(1, timeout.toMillis());
        ReadOnlySession.run(connection, "SET TRANSACTION READ ONLY");
        ReadOnlySession.run(connection, "SET LOCAL statement_timeout = " + millis);
        ReadOnlySession.run(connection, "SET LOCAL lock_timeout = " + millis);
    }

    @Override
    public Optional<QueryOutcome.Failed> notAQuery(Connection connection, String sql) throws SQLException {
        int statements = statementCount(connection, sql);
        if (statements != 1) {
            return Optional.of(new QueryOutcome.Failed(FailureKind.NOT_A_QUERY,
                    "the text holds " + statements + " statements; exactly one query may run"));
        }
        // A failed EXPLAIN aborts the transaction; the savepoint keeps it usable for the answer's rollback.
        Savepoint savepoint = connection.setSavepoint();
        Optional<QueryOutcome.Failed> refused = explainable(connection, sql);
        connection.rollback(savepoint);
        return refused;
    }

    @Override
    public void end(Connection connection) throws SQLException {
        ReadOnlySession.run(connection, "CLOSE ALL");
        ReadOnlySession.run(connection, "UNLISTEN *");
        ReadOnlySession.run(connection, "RESET ALL");
        ReadOnlySession.run(connection, "RESET ROLE");
        ReadOnlySession.run(connection, "SELECT pg_advisory_unlock_all()");
    }

    @Override
    public FailureKind classify(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        if (state.equals(QUERY_CANCELED) || state.equals(LOCK_NOT_AVAILABLE)) {
            return FailureKind.TIMEOUT;
        }
        if (state.equals(READ_ONLY_TRANSACTION)) {
            return FailureKind.READ_ONLY_VIOLATION;
        }
        return state.startsWith("08") ? FailureKind.CONNECTION_FAILED : FailureKind.DATABASE_ERROR;
    }

    @Override
    public boolean syntaxError(SQLException failure) {
        return SYNTAX_ERROR.equals(failure.getSQLState());
    }

    /** How many statements the PostgreSQL driver would send for this text; 0 when the driver cannot say. */
    private static int statementCount(Connection connection, String sql) throws SQLException {
        try {
            Class<?> baseConnection = Class.forName("org.postgresql.core.BaseConnection");
            Object pg = connection.unwrap(baseConnection);
            boolean standardStrings = (Boolean) baseConnection.getMethod("getStandardConformingStrings").invoke(pg);
            Method parse = Class.forName("org.postgresql.core.Parser").getMethod("parseJdbcSql", String.class,
                    boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, String[].class);
            List<?> parts = (List<?>) parse.invoke(null, sql, standardStrings, false, true, false, false,
                    new String[0]);
            return parts.size();
        }
        catch (ReflectiveOperationException | ClassCastException ex) {
            // Fail closed: without the driver's own split the text is not run.
            return 0;
        }
    }

}
