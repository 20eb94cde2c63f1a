package dev.switchboard.sql.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;

class SqlGuardTests {

    private static final List<TableAccess> TABLES = List.of(new TableAccess("customers", List.of(), List.of("email")),
            new TableAccess("orders", List.of(), List.of()),
            new TableAccess("employees", List.of("id", "name", "dept"), List.of()),
            new TableAccess("sales.regions", List.of(), List.of()));

    private final SqlGuard guard = new SqlGuard();

    private GuardVerdict check(String sql) {
        return this.guard.check(sql, new GuardPolicy(DatabaseKind.POSTGRESQL, TABLES, 100));
    }

    private GuardVerdict checkMysql(String sql) {
        return this.guard.check(sql, new GuardPolicy(DatabaseKind.MARIADB, TABLES, 100));
    }

    private static GuardVerdict.Allowed allowed(GuardVerdict verdict) {
        assertThat(verdict).isInstanceOf(GuardVerdict.Allowed.class);
        return (GuardVerdict.Allowed) verdict;
    }

    private static GuardVerdict.Refused refused(GuardVerdict verdict, RefusalKind kind) {
        assertThat(verdict).isInstanceOf(GuardVerdict.Refused.class);
        GuardVerdict.Refused refused = (GuardVerdict.Refused) verdict;
        assertThat(refused.kind()).as(refused.reason()).isEqualTo(kind);
        assertThat(refused.reason()).isNotBlank();
        return refused;
    }

    @Test
    void aQueryWithoutLimitGetsOneRowMoreThanTheCapSoTheExecutorCanTellItWasCut() {
        GuardVerdict.Allowed verdict = allowed(check("SELECT id FROM orders"));
        assertThat(verdict.sql()).isEqualTo("SELECT id FROM orders LIMIT 101");
        assertThat(verdict.rowLimit()).isEqualTo(101);
    }

    @Test
    void aLimitWithinTheCapIsKept() {
        GuardVerdict.Allowed verdict = allowed(check("SELECT id FROM orders ORDER BY id LIMIT 7 OFFSET 3"));
        assertThat(verdict.sql()).isEqualTo("SELECT id FROM orders ORDER BY id LIMIT 7 OFFSET 3");
        assertThat(verdict.rowLimit()).isEqualTo(7);
    }

    @Test
    void aLimitOverTheCapIsLoweredAndTheOffsetKept() {
        assertThat(allowed(check("SELECT id FROM orders LIMIT 5000 OFFSET 10")).sql())
                .isEqualTo("SELECT id FROM orders LIMIT 101 OFFSET 10");
        assertThat(allowed(checkMysql("SELECT id FROM orders LIMIT 10, 5000")).sql())
                .isEqualTo("SELECT id FROM orders LIMIT 10, 101");
        assertThat(allowed(check("SELECT id FROM orders LIMIT 18446744073709551615")).rowLimit()).isEqualTo(101);
    }

    @Test
    void limitAllAndLimitNullAreReplaced() {
        assertThat(allowed(check("SELECT id FROM orders LIMIT ALL")).sql()).isEqualTo("SELECT id FROM orders LIMIT 101");
        assertThat(allowed(check("SELECT id FROM orders LIMIT NULL")).rowLimit()).isEqualTo(101);
    }

    @Test
    void theLimitOfASetOperationBoundsTheWholeResultNotOneBranch() {
        GuardVerdict.Allowed verdict = allowed(check("SELECT id FROM orders UNION ALL SELECT id FROM customers"));
        assertThat(verdict.sql()).isEqualTo("SELECT id FROM orders UNION ALL SELECT id FROM customers LIMIT 101");
        GuardVerdict.Allowed inner = allowed(check("(SELECT id FROM orders LIMIT 500) UNION (SELECT id FROM customers)"));
        assertThat(inner.sql()).endsWith("LIMIT 101");
    }

    @Test
    void commentsAreDroppedFromTheSqlThatRuns() {
        GuardVerdict.Allowed verdict = allowed(check("SELECT id /* the key */ FROM orders -- all of them\n"));
        assertThat(verdict.sql()).isEqualTo("SELECT id FROM orders LIMIT 101");
    }

    @Test
    void theSqlThatRunsPassesTheGuardAgainUnchanged() {
        GuardVerdict.Allowed first = allowed(check(
                "WITH t AS (SELECT customer_id, sum(total) AS s FROM orders GROUP BY customer_id) SELECT c.name, t.s "
                        + "FROM t JOIN customers c ON c.id = t.customer_id ORDER BY t.s DESC LIMIT 3"));
        assertThat(allowed(check(first.sql())).sql()).isEqualTo(first.sql());
    }

    @Test
    void maskedColumnsSelectedAsTheyAreAreReportedByPosition() {
        GuardVerdict.Allowed verdict = allowed(check("SELECT id, email, c.name, c.email AS mail FROM customers c"));
        assertThat(verdict.maskedColumns()).containsExactly(1, 3);
    }

    @Test
    void maskedColumnsMayNotBeComputedFilteredSortedOrReadInASubquery() {
        refused(check("SELECT lower(email) FROM customers"), RefusalKind.COLUMN_NOT_ALLOWED);
        refused(check("SELECT id FROM customers WHERE email = 'a'"), RefusalKind.COLUMN_NOT_ALLOWED);
        refused(check("SELECT id FROM customers ORDER BY email"), RefusalKind.COLUMN_NOT_ALLOWED);
        refused(check("SELECT e FROM (SELECT email AS e FROM customers) x"), RefusalKind.COLUMN_NOT_ALLOWED);
        refused(check("SELECT email FROM customers UNION SELECT status FROM orders"), RefusalKind.COLUMN_NOT_ALLOWED);
        refused(check("SELECT * FROM customers"), RefusalKind.COLUMN_NOT_ALLOWED);
    }

    @Test
    void starIsAcceptedOnlyOverTablesWhoseColumnsAreAllReadable() {
        allowed(check("SELECT * FROM orders"));
        allowed(check("SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id"));
        GuardVerdict.Refused refused = refused(check("SELECT * FROM employees"), RefusalKind.COLUMN_NOT_ALLOWED);
        assertThat(refused.reason()).contains("id, name, dept");
    }

    @Test
    void anUnqualifiedColumnMustBeReadableInEveryTableItCouldComeFrom() {
        allowed(check("SELECT e.name, o.total FROM employees e JOIN orders o ON o.id = e.id"));
        GuardVerdict.Refused refused = refused(check("SELECT total FROM employees e JOIN orders o ON o.id = e.id"),
                RefusalKind.COLUMN_NOT_ALLOWED);
        assertThat(refused.reason()).contains("qualify");
    }

    @Test
    void outputNamesMayBeSortedOn() {
        allowed(check("SELECT dept AS d, count(*) AS n FROM employees GROUP BY dept ORDER BY n DESC, d"));
    }

    @Test
    void aCommonTableExpressionShadowsATableOnlyInsideItsWith() {
        allowed(check("WITH salaries AS (SELECT id FROM orders) SELECT id FROM salaries"));
        refused(check("SELECT * FROM (WITH salaries AS (SELECT 1 AS x) SELECT x FROM salaries) a, salaries"),
                RefusalKind.TABLE_NOT_ALLOWED);
        refused(check("WITH orders AS (SELECT * FROM secrets) SELECT * FROM orders"), RefusalKind.TABLE_NOT_ALLOWED);
    }

    @Test
    void schemaQualifiedNamesMatchOnlyTheirOwnEntry() {
        allowed(check("SELECT r.* FROM sales.regions r"));
        refused(check("SELECT * FROM regions"), RefusalKind.TABLE_NOT_ALLOWED);
        refused(check("SELECT * FROM other.orders"), RefusalKind.TABLE_NOT_ALLOWED);
    }

    @Test
    void identifierCaseFollowsTheEngine() {
        allowed(check("SELECT ID FROM ORDERS"));
        allowed(check("SELECT \"id\" FROM \"orders\""));
        refused(check("SELECT id FROM \"Orders\""), RefusalKind.TABLE_NOT_ALLOWED);
        allowed(checkMysql("SELECT `id` FROM `Orders`"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT pg_sleep(1)", "SELECT id FROM orders WHERE pg_sleep(1) IS NULL",
            "SELECT pg_catalog.lower(status) FROM orders", "SELECT 'orders'::regclass", "SELECT current_user"})
    void functionsAndCastsOutsideTheAllowListAreRefused(String sql) {
        GuardVerdict verdict = check(sql);
        assertThat(verdict.allowed()).isFalse();
        assertThat(((GuardVerdict.Refused) verdict).kind()).isIn(RefusalKind.FUNCTION_NOT_ALLOWED,
                RefusalKind.TYPE_NOT_ALLOWED);
    }

    @Test
    void refusalsSayWhatToWriteInstead() {
        assertThat(refused(check("SELECT 1 FROM orders; DROP TABLE orders"), RefusalKind.MULTIPLE_STATEMENTS).reason())
                .contains("only one statement");
        assertThat(refused(check("DELETE FROM orders"), RefusalKind.NOT_A_QUERY).reason()).contains("DELETE")
                .contains("SELECT");
        assertThat(refused(check("SELECT * FROM secrets"), RefusalKind.TABLE_NOT_ALLOWED).reason())
                .contains("customers, orders, employees, sales.regions");
        assertThat(refused(check("SELEC id FROM orders"), RefusalKind.UNPARSABLE).reason()).contains("postgresql");
        refused(check("SELECT * FROM pg_catalog.pg_class"), RefusalKind.SYSTEM_CATALOGUE);
        refused(checkMysql("SELECT * FROM orders LOCK IN SHARE MODE"), RefusalKind.UNPARSABLE);
        refused(check("SELECT * FROM orders FOR UPDATE"), RefusalKind.WRITING_OR_LOCKING_CLAUSE);
    }

    @Test
    void emptyAndOversizedStatementsAreRefused() {
        refused(check(""), RefusalKind.LEXICAL);
        refused(check("   "), RefusalKind.LEXICAL);
        refused(check(null), RefusalKind.LEXICAL);
        refused(check("SELECT id FROM orders WHERE status = '" + "x".repeat(LexicalScreen.MAX_SQL_CHARS) + "'"),
                RefusalKind.LEXICAL);
    }

    @Test
    void deeplyNestedStatementsAreRefusedNotOverflowed() {
        String nested = "SELECT " + "(".repeat(2000) + "1" + ")".repeat(2000) + " FROM orders";
        assertThat(check(nested).allowed()).isFalse();
    }

    @Test
    void valuesIsAcceptedAndBoundedByItsOwnLength() {
        GuardVerdict.Allowed verdict = allowed(check("VALUES (1, 'a'), (2, 'b')"));
        assertThat(verdict.rowLimit()).isEqualTo(2);
    }

}
