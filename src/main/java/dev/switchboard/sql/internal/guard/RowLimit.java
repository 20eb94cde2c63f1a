package dev.switchboard.sql.internal.guard;

import java.math.BigInteger;

import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Puts a LIMIT on the outermost query (for a set operation, on its whole result): the query's own when it is at
 * most {@code maxRows}, otherwise {@code maxRows + 1}. The one row over {@code maxRows} is never returned: the
 * executor reads it only to know that the result was cut. A VALUES list is already bounded by its own length.
 */
final class RowLimit {

    private RowLimit() {
    }

    /**
     * Without an ORDER BY, JSqlParser hangs the trailing LIMIT of {@code SELECT … UNION SELECT … LIMIT n} on the
     * last branch, while both engines apply it to the whole result; it is moved where the engines read it, so the
     * statement prints back the same and the cap is not applied twice.
     */
    private static void hoistTrailingLimit(SetOperationList setOperations) {
        Select last = setOperations.getSelects().getLast();
        if (last instanceof PlainSelect plain && setOperations.getLimit() == null && setOperations.getOffset() == null
                && (plain.getLimit() != null || plain.getOffset() != null)) {
            setOperations.setLimit(plain.getLimit());
            setOperations.setOffset(plain.getOffset());
            plain.setLimit(null);
            plain.setOffset(null);
        }
    }

    /** Enforces the limit on {@code select} in place; answers the limit the statement now carries. */
    static long enforce(Select select, int maxRows) {
        if (select instanceof Values values) {
            return values.getExpressions().size();
        }
        if (select instanceof SetOperationList setOperations) {
            hoistTrailingLimit(setOperations);
        }
        long ceiling = maxRows + 1L;
        Limit limit = select.getLimit();
        if (limit == null) {
            select.setLimit(new Limit().withRowCount(new LongValue(ceiling)));
            return ceiling;
        }
        if (limit.getRowCount() instanceof LongValue rows && rows.getBigIntegerValue().compareTo(BigInteger.valueOf(maxRows)) <= 0) {
            return rows.getValue();
        }
        limit.setRowCount(new LongValue(ceiling));
        return ceiling;
    }

}
