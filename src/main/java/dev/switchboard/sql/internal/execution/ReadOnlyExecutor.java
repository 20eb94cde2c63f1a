package dev.switchboard.sql.internal.execution;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one query against a registered database in depth, whatever the guard decided:
 * <ol>
 * <li>a read-only transaction with the statement timeout set on the server ({@link ReadOnlySession});</li>
 * <li>the server's own check that the text is one query ({@code EXPLAIN}; for PostgreSQL also the driver's
 * statement split), refused before it runs;</li>
 * <li>the rows read with a fetch size, at most {@code maxRows + 1} (the extra one only sets {@code truncated}),
 * each cell bounded ({@link CellValues}) and masked columns replaced;</li>
 * <li>always rolled back, auto-commit restored and the session reset, also after failures.</li>
 * </ol>
 * Timeouts, refused writes and database errors are {@link QueryOutcome.Failed} values with a reason.
 */
public final class ReadOnlyExecutor {

    /** What a masked cell shows. */
    public static final String MASK = "****";

    /**
     * Cells are cut at this many characters: a question's answer needs the start of a long text, not all of it,
     * and the bound keeps a result of {@code maxRows} rows to a few megabytes at most.
     */
    public static final int DEFAULT_MAX_CELL_CHARS = 2_000;

    /** Rows fetched per round trip: a result of the default 1,000-row cap comes in a few round trips. */
    static final int FETCH_SIZE = 250;

    static final String READ_ONLY_REASON = "the statement tries to write; only reading queries may run";

    private static final int MAX_REASON_CHARS = 300;

    private static final Logger log = LoggerFactory.getLogger(ReadOnlyExecutor.class);

    private final CellValues cells;

    public ReadOnlyExecutor() {
        this(DEFAULT_MAX_CELL_CHARS);
    }

    public ReadOnlyExecutor(int maxCellChars) {
        this.cells = new CellValues(maxCellChars);
    }

    /** Runs the query on a connection of {@code dataSource}. */
    public QueryOutcome execute(DataSource dataSource, QueryRequest request) {
        try (Connection connection = dataSource.getConnection()) {
            return execute(connection, request);
        }
        catch (SQLException ex) {
            return new QueryOutcome.Failed(FailureKind.CONNECTION_FAILED, "the database could not be reached: "
                    + firstLine(ex));
        }
    }

    /** Runs the query on {@code connection}, which is left as it was found (auto-commit, session settings). */
    public QueryOutcome execute(Connection connection, QueryRequest request) throws SQLException {
        ReadOnlySession session = ReadOnlySession.of(request.kind());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            session.begin(connection, request.statementTimeout());
            Optional<QueryOutcome.Failed> notAQuery = session.notAQuery(connection, request.sql());
            if (notAQuery.isPresent()) {
                return notAQuery.get();
            }
            return read(connection, request);
        }
        catch (SQLException ex) {
            FailureKind kind = session.classify(ex);
            return new QueryOutcome.Failed(kind, reason(kind, ex, request));
        }
        finally {
            restore(connection, session, autoCommit);
        }
    }

    private QueryOutcome.Rows read(Connection connection, QueryRequest request) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setMaxRows(request.maxRows() + 1);
            try (ResultSet rows = statement.executeQuery(request.sql())) {
                ResultSetMetaData meta = rows.getMetaData();
                List<ResultColumn> columns = new ArrayList<>(meta.getColumnCount());
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(new ResultColumn(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
                }
                List<List<Object>> values = new ArrayList<>();
                boolean truncated = false;
                while (rows.next()) {
                    if (values.size() == request.maxRows()) {
                        truncated = true;
                        break;
                    }
                    values.add(row(rows, meta, request));
                }
                return new QueryOutcome.Rows(columns, values, values.size(), truncated);
            }
        }
    }

    private List<Object> row(ResultSet rows, ResultSetMetaData meta, QueryRequest request) throws SQLException {
        List<Object> row = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (request.maskedColumns().contains(i - 1)) {
                row.add(rows.getObject(i) == null ? null : MASK);
            }
            else {
                row.add(this.cells.read(rows, i, meta.getColumnType(i)));
            }
        }
        return row;
    }

    private static void restore(Connection connection, ReadOnlySession session, boolean autoCommit) {
        try {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
            session.end(connection);
        }
        catch (SQLException ex) {
            // The connection cannot be trusted any more; closing it makes the pool discard it.
            log.warn("Resetting a query connection failed ({}); closing it", ex.getSQLState());
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static String reason(FailureKind kind, SQLException ex, QueryRequest request) {
        return switch (kind) {
            case TIMEOUT -> "the query ran longer than the statement timeout of " + request.statementTimeout().toMillis()
                    + " ms and was stopped; make it cheaper (filter earlier, aggregate, avoid cross joins)";
            case READ_ONLY_VIOLATION -> READ_ONLY_REASON;
            case CONNECTION_FAILED -> "the connection to the database failed: " + firstLine(ex);
            default -> cut(firstLine(ex));
        };
    }

    static String firstLine(SQLException ex) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return cut(message.lines().findFirst().orElse("").trim());
    }

    static String cut(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS - 3) + "...";
    }

}
