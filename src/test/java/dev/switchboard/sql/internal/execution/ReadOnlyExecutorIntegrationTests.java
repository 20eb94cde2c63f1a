package dev.switchboard.sql.internal.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

import dev.switchboard.sql.internal.SampleDatabase;

/**
 * The executor's layers one by one against the real servers: the statement timeout, refused writes, the row cap
 * read while fetching, bounded cells, masking, and the session left as it was found.
 */
class ReadOnlyExecutorIntegrationTests {

    private final ReadOnlyExecutor executor = new ReadOnlyExecutor(100);

    private QueryOutcome run(Connection connection, SampleDatabase database, String sql, int maxRows,
            Set<Integer> masked) throws SQLException {
        return this.executor.execute(connection,
                new QueryRequest(database.kind(), sql, Duration.ofMillis(300), maxRows, masked));
    }

    @ParameterizedTest
    @EnumSource(SampleDatabase.class)
    void aSlowQueryIsStoppedByTheServerAndSaysSo(SampleDatabase database) throws SQLException {
        database.assumeAvailable();
        database.recreate();
        String slow = database == SampleDatabase.POSTGRESQL ? "SELECT pg_sleep(30)"
                : "SELECT COUNT(*) FROM orders a, orders b, orders c, orders d, orders e, orders f, orders g, orders h";
        try (Connection connection = database.owner()) {
            QueryOutcome outcome = run(connection, database, slow, 10, Set.of());
            assertThat(outcome).isInstanceOfSatisfying(QueryOutcome.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(FailureKind.TIMEOUT);
                assertThat(failed.reason()).contains("300 ms");
            });
            assertThat(run(connection, database, "SELECT 1", 10, Set.of())).isInstanceOf(QueryOutcome.Rows.class);
        }
    }

    @ParameterizedTest
    @EnumSource(SampleDatabase.class)
    void aWriteIsRefusedByTheReadOnlyTransactionEvenForTheOwner(SampleDatabase database) throws SQLException {
        database.assumeAvailable();
        database.recreate();
        String before = database.checksum();
        try (Connection connection = database.owner()) {
            QueryOutcome outcome = run(connection, database, "UPDATE orders SET total = 0", 10, Set.of());
            assertThat(outcome).isInstanceOfSatisfying(QueryOutcome.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(FailureKind.READ_ONLY_VIOLATION));
            QueryOutcome ddl = run(connection, database, "DROP TABLE secrets", 10, Set.of());
            assertThat(ddl).isInstanceOfSatisfying(QueryOutcome.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(FailureKind.NOT_A_QUERY));
        }
        assertThat(database.checksum()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(SampleDatabase.class)
    void rowsAreCappedWhileReadingAndCellsBoundedAndMasked(SampleDatabase database) throws SQLException {
        database.assumeAvailable();
        database.recreate();
        String longText = database == SampleDatabase.POSTGRESQL ? "repeat('x', 5000)" : "REPEAT('x', 5000)";
        try (Connection connection = database.owner()) {
            QueryOutcome outcome = run(connection, database,
                    "SELECT id, email, " + longText + " AS long_text FROM customers ORDER BY id", 4, Set.of(1));
            assertThat(outcome).isInstanceOfSatisfying(QueryOutcome.Rows.class, rows -> {
                assertThat(rows.rowCount()).isEqualTo(4);
                assertThat(rows.truncated()).isTrue();
                assertThat(rows.columns()).extracting(ResultColumn::name).containsExactly("id", "email", "long_text");
                assertThat(rows.rows()).allSatisfy(row -> {
                    assertThat(row.get(1)).isEqualTo(ReadOnlyExecutor.MASK);
                    assertThat((String) row.get(2)).startsWith("x".repeat(100) + "…").endsWith("[4900 more characters]");
                });
                assertThat(rows.rows().get(0).get(0)).isEqualTo(1L);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(SampleDatabase.class)
    void theSessionIsLeftAsItWasFound(SampleDatabase database) throws SQLException {
        database.assumeAvailable();
        database.recreate();
        String timeoutSetting = database == SampleDatabase.POSTGRESQL ? "SHOW statement_timeout"
                : "SELECT @@SESSION.max_statement_time";
        try (Connection connection = database.owner()) {
            String before = single(connection, timeoutSetting);
            boolean autoCommit = connection.getAutoCommit();
            run(connection, database, "SELECT id FROM orders", 10, Set.of());
            run(connection, database, "SELECT no_such_column FROM orders", 10, Set.of());
            assertThat(single(connection, timeoutSetting)).isEqualTo(before);
            assertThat(connection.getAutoCommit()).isEqualTo(autoCommit);
            if (database == SampleDatabase.POSTGRESQL) {
                assertThat(single(connection, "SHOW transaction_read_only")).isEqualTo("off");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SampleDatabase.class)
    void aDatabaseErrorIsAReasonTheModelCanActOn(SampleDatabase database) throws SQLException {
        database.assumeAvailable();
        database.recreate();
        try (Connection connection = database.reader()) {
            QueryOutcome outcome = run(connection, database, "SELECT no_such_column FROM orders", 10, Set.of());
            assertThat(outcome).isInstanceOfSatisfying(QueryOutcome.Failed.class, failed -> {
                assertThat(failed.kind()).isIn(FailureKind.DATABASE_ERROR, FailureKind.NOT_A_QUERY);
                assertThat(failed.reason()).contains("no_such_column").doesNotContain("\n");
            });
        }
    }

    @org.junit.jupiter.api.Test
    void anUnreachableDatabaseIsAFailureNotAnException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://127.0.0.1:" + closedPort + "/test");
        dataSource.setConnectTimeout(2);
        QueryOutcome outcome = this.executor.execute(dataSource, new QueryRequest(
                dev.switchboard.sql.internal.DatabaseKind.POSTGRESQL, "SELECT 1", Duration.ofSeconds(1), 10,
                Set.of()));
        assertThat(outcome).isInstanceOfSatisfying(QueryOutcome.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(FailureKind.CONNECTION_FAILED));
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

}
