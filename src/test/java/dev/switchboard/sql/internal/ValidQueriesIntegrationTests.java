package dev.switchboard.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.switchboard.sql.internal.execution.QueryOutcome;
import dev.switchboard.sql.internal.execution.QueryRequest;
import dev.switchboard.sql.internal.execution.ReadOnlyExecutor;
import dev.switchboard.sql.internal.guard.GuardVerdict;
import dev.switchboard.sql.internal.guard.SqlGuard;

/**
 * The valid-query corpora (src/test/resources/sql/valid): each statement is allowed by the guard, and the guarded
 * SQL run by the read-only executor as the reader returns the same rows as the statement as written run directly
 * by the owner — masked cells masked — so the guard's rewriting changes nothing but the LIMIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidQueriesIntegrationTests {

    private static final int MAX_ROWS = 100;

    private final SqlGuard guard = new SqlGuard();

    private final ReadOnlyExecutor executor = new ReadOnlyExecutor();

    private final Set<SampleDatabase> ready = new HashSet<>();

    @BeforeAll
    void createSamples() throws SQLException {
        for (SampleDatabase database : SampleDatabase.values()) {
            try {
                database.assumeAvailable();
                database.recreate();
                this.ready.add(database);
            }
            catch (org.opentest4j.TestAbortedException absent) {
                // the tests of that database skip with the same message
            }
        }
    }

    static Stream<Arguments> queries() {
        return Stream.concat(
                SqlCorpus.load("/sql/valid/postgresql.sql").stream()
                        .map(entry -> Arguments.of(SampleDatabase.POSTGRESQL, entry)),
                SqlCorpus.load("/sql/valid/mariadb.sql").stream()
                        .map(entry -> Arguments.of(SampleDatabase.MARIADB, entry)));
    }

    @Test
    void theCorporaHoldAtLeast40RealQueries() {
        assertThat(queries().count()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("queries")
    void allowedByTheGuard(SampleDatabase database, SqlCorpus.Entry entry) {
        assertThat(this.guard.check(entry.sql(), database.policy(MAX_ROWS))).as(entry.sql())
                .isInstanceOf(GuardVerdict.Allowed.class);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("queries")
    void returnTheRowsTheStatementMeans(SampleDatabase database, SqlCorpus.Entry entry) throws SQLException {
        database.assumeAvailable();
        GuardVerdict.Allowed allowed = (GuardVerdict.Allowed) this.guard.check(entry.sql(), database.policy(MAX_ROWS));
        QueryOutcome.Rows rows = run(database, allowed);
        List<List<String>> expected = direct(database, entry.sql(), Set.copyOf(allowed.maskedColumns()));
        assertThat(asText(rows.rows())).as(allowed.sql()).isEqualTo(expected);
        assertThat(rows.truncated()).isFalse();
        assertThat(rows.rowCount()).isEqualTo(expected.size());
    }

    @Test
    void knownAnswersOnPostgresql() throws SQLException {
        SampleDatabase.POSTGRESQL.assumeAvailable();
        assertThat(answer(SampleDatabase.POSTGRESQL, "SELECT count(*) FROM orders")).containsExactly(List.of("10"));
        assertThat(answer(SampleDatabase.POSTGRESQL,
                "SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL"))
                .containsExactly(List.of("Ken Thompson"));
        assertThat(answer(SampleDatabase.POSTGRESQL,
                "SELECT status, sum(total) FROM orders GROUP BY status ORDER BY status"))
                .containsExactly(List.of("cancelled", "19.50"), List.of("pending", "179.00"),
                        List.of("shipped", "925.95"));
        assertThat(answer(SampleDatabase.POSTGRESQL, "SELECT id, email FROM customers WHERE id = 1"))
                .containsExactly(List.of("1", ReadOnlyExecutor.MASK));
    }

    @Test
    void knownAnswersOnMariadb() throws SQLException {
        SampleDatabase.MARIADB.assumeAvailable();
        assertThat(answer(SampleDatabase.MARIADB,
                "SELECT city, COUNT(*) FROM customers GROUP BY city HAVING COUNT(*) > 1 ORDER BY city"))
                .containsExactly(List.of("Boston", "2"), List.of("London", "2"));
        assertThat(answer(SampleDatabase.MARIADB, "SELECT name, email FROM customers WHERE id = 6"))
                .containsExactly(Arrays.asList("Donald Knuth", null));
    }

    @Test
    void aResultOverTheCapIsCutAndSaysSo() throws SQLException {
        for (SampleDatabase database : this.ready) {
            GuardVerdict.Allowed allowed = (GuardVerdict.Allowed) this.guard.check("SELECT id FROM orders ORDER BY id",
                    database.policy(3));
            QueryOutcome.Rows rows = run(database, allowed, 3);
            assertThat(asText(rows.rows())).containsExactly(List.of("1"), List.of("2"), List.of("3"));
            assertThat(rows.truncated()).isTrue();
            GuardVerdict.Allowed exact = (GuardVerdict.Allowed) this.guard
                    .check("SELECT id FROM orders ORDER BY id LIMIT 3", database.policy(3));
            assertThat(run(database, exact, 3).truncated()).isFalse();
        }
    }

    private List<List<String>> answer(SampleDatabase database, String sql) throws SQLException {
        GuardVerdict verdict = this.guard.check(sql, database.policy(MAX_ROWS));
        assertThat(verdict).as(sql).isInstanceOf(GuardVerdict.Allowed.class);
        return asText(run(database, (GuardVerdict.Allowed) verdict).rows());
    }

    private QueryOutcome.Rows run(SampleDatabase database, GuardVerdict.Allowed allowed) throws SQLException {
        return run(database, allowed, MAX_ROWS);
    }

    private QueryOutcome.Rows run(SampleDatabase database, GuardVerdict.Allowed allowed, int maxRows)
            throws SQLException {
        try (Connection reader = database.reader()) {
            QueryOutcome outcome = this.executor.execute(reader, new QueryRequest(database.kind(), allowed.sql(),
                    Duration.ofSeconds(5), maxRows, Set.copyOf(allowed.maskedColumns())));
            assertThat(outcome).as(allowed.sql()).isInstanceOf(QueryOutcome.Rows.class);
            return (QueryOutcome.Rows) outcome;
        }
    }

    /** The statement as written, run by the owner with plain JDBC: the oracle. */
    private static List<List<String>> direct(SampleDatabase database, String sql, Set<Integer> masked)
            throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection owner = database.owner();
                Statement statement = owner.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next() && rows.size() < MAX_ROWS) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    String value = result.getString(i);
                    row.add(masked.contains(i - 1) && value != null ? ReadOnlyExecutor.MASK : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<List<String>> asText(List<List<Object>> rows) {
        return rows.stream().map(row -> row.stream().map(cell -> cell == null ? null : cell.toString()).toList())
                .toList();
    }

}
