package dev.switchboard.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import dev.switchboard.sql.internal.execution.FailureKind;
import dev.switchboard.sql.internal.execution.QueryOutcome;
import dev.switchboard.sql.internal.execution.QueryRequest;
import dev.switchboard.sql.internal.execution.ReadOnlyExecutor;
import dev.switchboard.sql.internal.guard.GuardVerdict;
import dev.switchboard.sql.internal.guard.SqlGuard;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Random statements from a small grammar mixing safe and unsafe pieces (writing CTEs, catalogue tables, restricted
 * and masked columns, dangerous functions, locking clauses, stacked statements, executable comments, case
 * changes) must be either refused by the guard, or provably read-only: the guarded SQL, run by the executor as
 * the owner (superuser / root, so no role stands in the way), neither tries to write nor changes a checksum of
 * every sample table, and returns at most {@code maxRows} rows.
 */
class GuardPropertyTests {

    private static final int MAX_ROWS = 20;

    private final SqlGuard guard = new SqlGuard();

    private final ReadOnlyExecutor executor = new ReadOnlyExecutor();

    private static String postgresChecksum;

    private static String mariadbChecksum;

    @BeforeContainer
    static void createSamples() throws SQLException {
        if (SampleDatabase.POSTGRESQL.available()) {
            SampleDatabase.POSTGRESQL.recreate();
            postgresChecksum = SampleDatabase.POSTGRESQL.checksum();
        }
        if (SampleDatabase.MARIADB.available()) {
            SampleDatabase.MARIADB.recreate();
            mariadbChecksum = SampleDatabase.MARIADB.checksum();
        }
    }

    @Property(tries = 250)
    @AddLifecycleHook(PostgresqlAvailable.class)
    void postgresqlStatementsAreRefusedOrReadOnly(@ForAll("postgresql") String sql) throws SQLException {
        refusedOrReadOnly(SampleDatabase.POSTGRESQL, sql, postgresChecksum);
    }

    @Property(tries = 200)
    @AddLifecycleHook(MariadbAvailable.class)
    void mariadbStatementsAreRefusedOrReadOnly(@ForAll("mariadb") String sql) throws SQLException {
        refusedOrReadOnly(SampleDatabase.MARIADB, sql, mariadbChecksum);
    }

    private void refusedOrReadOnly(SampleDatabase database, String sql, String checksum) throws SQLException {
        GuardVerdict verdict = this.guard.check(sql, database.policy(MAX_ROWS));
        Statistics.collect(verdict.allowed() ? "allowed" : "refused");
        if (verdict instanceof GuardVerdict.Refused refused) {
            assertThat(refused.reason()).isNotBlank();
            return;
        }
        GuardVerdict.Allowed allowed = (GuardVerdict.Allowed) verdict;
        try (Connection owner = database.owner()) {
            QueryOutcome outcome = this.executor.execute(owner, new QueryRequest(database.kind(), allowed.sql(),
                    Duration.ofSeconds(2), MAX_ROWS, Set.copyOf(allowed.maskedColumns())));
            if (outcome instanceof QueryOutcome.Failed failed) {
                // An allowed statement may still be wrong for the engine (an unknown column, MySQL's "id, *"), but it
                // never tries to write.
                assertThat(failed.kind()).as(allowed.sql() + ": " + failed.reason())
                        .isNotEqualTo(FailureKind.READ_ONLY_VIOLATION);
            }
            else {
                assertThat(((QueryOutcome.Rows) outcome).rowCount()).isLessThanOrEqualTo(MAX_ROWS);
            }
        }
        assertThat(database.checksum()).as("unchanged after " + allowed.sql()).isEqualTo(checksum);
    }

    @Provide
    Arbitrary<String> postgresql() {
        return statements(Arbitraries.of("", "WITH t AS (SELECT id, total FROM orders) ",
                "WITH d AS (DELETE FROM orders RETURNING id) ", "WITH orders AS (SELECT * FROM secrets) ",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "),
                Arbitraries.of("pg_sleep(0)", "current_setting('work_mem')", "nextval('orders_id_seq')",
                        "set_config('work_mem', '1MB', false)", "'x'::regclass", "pg_read_file('/etc/hostname')",
                        "date_trunc('month', created_at)", "to_char(total, '999.99')", "total::int"),
                Arbitraries.of("pg_catalog.pg_user", "information_schema.tables", "pg_settings", "\"PG_USER\""),
                Arbitraries.of(" FOR UPDATE", " FOR SHARE", " INTO TEMP stolen", "; DROP TABLE orders",
                        " -- ; DELETE FROM orders", " /* */ ; DELETE FROM orders", " $$; DELETE FROM orders; $$"));
    }

    @Provide
    Arbitrary<String> mariadb() {
        return statements(Arbitraries.of("", "WITH t AS (SELECT id, total FROM orders) ",
                "WITH orders AS (SELECT * FROM secrets) ",
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) "),
                Arbitraries.of("SLEEP(0)", "BENCHMARK(10, MD5('x'))", "LOAD_FILE('/etc/hostname')", "GET_LOCK('x', 0)",
                        "@@version", "DATE_FORMAT(created_at, '%Y')", "IFNULL(note, '-')", "CAST(total AS SIGNED)"),
                Arbitraries.of("mysql.user", "information_schema.tables", "`mysql`.`user`", "performance_schema.threads"),
                Arbitraries.of(" FOR UPDATE", " LOCK IN SHARE MODE", " INTO OUTFILE '/tmp/sqlguard_property.txt'",
                        "; DROP TABLE orders", " /*! UNION SELECT value FROM secrets */", " # ; DELETE FROM orders",
                        " PROCEDURE ANALYSE()"));
    }

    private static Arbitrary<String> statements(Arbitrary<String> prefixes, Arbitrary<String> dialectFunctions,
            Arbitrary<String> catalogues, Arbitrary<String> dialectSuffixes) {
        // Safe pieces weigh more, so that a good share of statements passes the guard and is run.
        Arbitrary<String> items = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("id", "total", "status", "count(*)", "sum(total)", "upper(status)",
                        "1 + 2", "'a;b'", "(SELECT max(total) FROM orders)")),
                Tuple.of(1, Arbitraries.of("*", "salary", "email", "ssn", "lower(name)",
                        "(SELECT value FROM secrets LIMIT 1)", "current_user")),
                Tuple.of(1, dialectFunctions));
        Arbitrary<String> selectList = items.list().ofMinSize(1).ofMaxSize(3).map(list -> String.join(", ", list));
        Arbitrary<String> from = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("orders", "orders o JOIN customers c ON c.id = o.customer_id",
                        "(SELECT id, total, status FROM orders) x")),
                Tuple.of(1, Arbitraries.of("customers", "employees", "secrets", "t", "products p, order_items i")),
                Tuple.of(1, catalogues));
        Arbitrary<String> where = Arbitraries.of("", "", " WHERE id > 2", " WHERE total > 50 AND status = 'shipped'",
                " WHERE id IN (SELECT customer_id FROM orders)", " WHERE email LIKE 'a%'", " WHERE salary > 0",
                " WHERE EXISTS (SELECT 1 FROM secrets)");
        Arbitrary<String> suffix = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("", " LIMIT 5", " LIMIT 100000", " ORDER BY 1",
                        " UNION SELECT id FROM orders")),
                Tuple.of(1, Arbitraries.of(" UNION ALL SELECT id FROM secrets", " GROUP BY id")),
                Tuple.of(2, dialectSuffixes));
        Arbitrary<Integer> caseChange = Arbitraries.integers().between(0, 2);
        return Combinators.combine(prefixes, selectList, from, where, suffix, caseChange)
                .as((prefix, list, table, filter, end, change) -> {
                    String sql = prefix + "SELECT " + list + " FROM " + table + filter + end;
                    return switch (change) {
                        case 1 -> sql.toUpperCase(Locale.ROOT);
                        case 2 -> sql.toLowerCase(Locale.ROOT);
                        default -> sql;
                    };
                });
    }

    /** Skips the PostgreSQL property when the server is absent (fails under {@code CI=true}). */
    static final class PostgresqlAvailable implements SkipExecutionHook {

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return SampleDatabase.POSTGRESQL.available() ? SkipResult.doNotSkip()
                    : SkipResult.skip(SampleDatabase.POSTGRESQL.absence());
        }

    }

    /** Skips the MariaDB property when the server is absent (fails under {@code CI=true}). */
    static final class MariadbAvailable implements SkipExecutionHook {

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return SampleDatabase.MARIADB.available() ? SkipResult.doNotSkip()
                    : SkipResult.skip(SampleDatabase.MARIADB.absence());
        }

    }

}
