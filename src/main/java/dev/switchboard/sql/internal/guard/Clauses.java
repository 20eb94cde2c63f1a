package dev.switchboard.sql.internal.guard;

import java.util.List;

import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Pivot;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SampleClause;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.UnPivot;

/**
 * The clauses a query may not carry. Writing and locking clauses are refused by name with their own reason;
 * the rest are clauses of other dialects or features the walk does not analyse, refused as unsupported so that
 * nothing the parser accepted runs unexamined.
 */
final class Clauses {

    private Clauses() {
    }

    static void refuseOnAnySelect(Select select) {
        if (select.getForMode() != null || select.getForUpdate() != null || present(select.getForUpdateTables())
                || select.getForUpdateTable() != null || select.getWait() != null || select.isNoWait()
                || select.isSkipLocked()) {
            throw new GuardRefusal(RefusalKind.WRITING_OR_LOCKING_CLAUSE, "locking clauses (FOR UPDATE, FOR SHARE, "
                    + "LOCK IN SHARE MODE, NOWAIT, SKIP LOCKED) are not accepted; remove them");
        }
        if (select.getMySqlProcedureAnalyse() != null) {
            throw new GuardRefusal(RefusalKind.NOT_A_QUERY, "PROCEDURE clauses are not accepted; remove them");
        }
        unsupported(select.getIsolation() != null, "WITH isolation levels");
        unsupported(select.getForClause() != null, "FOR XML/JSON clauses");
        unsupported(select.getOption() != null, "OPTION clauses");
        unsupported(select.getLimitBy() != null, "LIMIT BY");
        unsupported(present(select.getInterpolate()), "INTERPOLATE");
        unsupported(select.isOracleSiblings(), "ORDER SIBLINGS BY");
        unsupported(select.getFetch() != null, "FETCH FIRST (write LIMIT instead)");
    }

    static void numericLimit(Select select) {
        Limit limit = select.getLimit();
        boolean plain = limit == null || (limit.getByExpressions() == null && number(limit.getOffset())
                && (unlimited(limit.getRowCount()) || number(limit.getRowCount())));
        if (!plain || (select.getOffset() != null && !number(select.getOffset().getOffset()))) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, "LIMIT and OFFSET must be plain numbers");
        }
    }

    static void refuseOnPlainSelect(PlainSelect plain) {
        if (present(plain.getIntoTables()) || plain.getMySqlSelectIntoClause() != null
                || plain.getIntoTempTable() != null) {
            throw new GuardRefusal(RefusalKind.WRITING_OR_LOCKING_CLAUSE, "SELECT … INTO writes a table, a file or "
                    + "variables; remove the INTO clause");
        }
        unsupported(plain.getOracleHint() != null, "optimizer hints");
        unsupported(plain.getPreWhere() != null, "PREWHERE");
        unsupported(present(plain.getLateralViews()), "LATERAL VIEW");
        unsupported(present(plain.getSettings()), "SETTINGS");
        unsupported(plain.getSampleClause() != null, "TABLESAMPLE");
        unsupported(plain.getOptimizeFor() != null, "OPTIMIZE FOR");
        unsupported(plain.getTop() != null, "TOP (write LIMIT instead)");
        unsupported(plain.getSkip() != null || plain.getFirst() != null, "SKIP/FIRST (write LIMIT instead)");
        unsupported(plain.getKsqlWindow() != null || plain.isEmitChanges(),
                "streaming windows");
        unsupported(plain.getOracleHierarchical() != null, "CONNECT BY");
        unsupported(plain.getPreferringClause() != null, "PREFERRING");
        unsupported(plain.getForXmlPath() != null, "FOR XML");
        unsupported(plain.getQualify() != null, "QUALIFY");
        unsupported(plain.getBigQuerySelectQualifier() != null, "SELECT AS STRUCT/VALUE");
        unsupported(plain.isUsingOnly() || plain.isUsingFinal() || plain.isUseWithNoLog(), "ONLY/FINAL/NO LOG");
    }

    static void refuseOnJoin(Join join) {
        if (join.isNatural()) {
            throw new GuardRefusal(RefusalKind.COLUMN_NOT_ALLOWED, "NATURAL joins compare columns the query does not "
                    + "name; write JOIN … ON with the columns");
        }
        unsupported(join.isApply() || join.isWindowJoin() || join.isAsOf() || join.isArray() || join.isGlobal()
                || join.isSemi() || join.isAny() || join.isAll() || join.isFetch() || join.getJoinHint() != null,
                "this kind of join (write INNER, LEFT, RIGHT, FULL or CROSS JOIN)");
    }

    static void refuseOnFromItem(Pivot pivot, UnPivot unPivot, SampleClause sample) {
        unsupported(pivot != null || unPivot != null, "PIVOT/UNPIVOT");
        unsupported(sample != null, "TABLESAMPLE");
    }

    static void refuseOnTable(Table table) {
        refuseOnFromItem(table.getPivot(), table.getUnPivot(), table.getSampleClause());
        unsupported(table.getTimeTravel() != null || table.getTimeTravelStrAfterAlias() != null, "time travel");
        unsupported(table.getNameParts().stream().anyMatch(part -> part.contains("@")), "database links");
        unsupported(table.getIndexHint() != null || table.getSqlServerHints() != null, "index hints");
    }

    /** {@code LIMIT ALL} or {@code LIMIT NULL}: no limit, which {@link RowLimit} replaces. */
    static boolean unlimited(Expression rowCount) {
        return rowCount instanceof AllValue || rowCount instanceof NullValue;
    }

    private static boolean number(Expression expression) {
        return expression == null || expression instanceof LongValue;
    }

    private static boolean present(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static void unsupported(boolean present, String what) {
        if (present) {
            throw new GuardRefusal(RefusalKind.UNSUPPORTED_CONSTRUCT, what + " is not supported; write a plain "
                    + "SELECT");
        }
    }

}
