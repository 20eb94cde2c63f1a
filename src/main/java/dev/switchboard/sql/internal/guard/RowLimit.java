package dev.switchboard.sql.internal.guard;

import java.math.BigInteger;

import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Puts a LIMIT on the outermost query (for a set operation, on its whole result): the query's own when it is at
 * most {@code maxRows}, otherwise {@code maxRows + 1}. The one row over {@code maxRows} is never returned: the
 * executor reads it only to know that the result was cut. A VALUES list is already bounded by its own length.
 */
final class RowLimit {

    private RowLimit() {
    }

    /** Enforces the limit on {@code select} in place; answers the limit the statement now carries. */
    static long enforce(Select select, int maxRows) {
        if (select instanceof Values values) {
            return values.getExpressions().size();
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
