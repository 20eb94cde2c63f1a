package dev.switchboard.sql.internal.execution;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What running a query gave: rows, or a failure with a reason. Both are expected outcomes, so both are values. */
public sealed interface QueryOutcome {

    /**
     * The result.
     *
     * @param columns name and type of each column
     * @param rows the rows, at most {@code maxRows}; cells are strings, numbers, booleans or null, long ones cut
     * with a marker and masked ones replaced
     * @param rowCount the number of rows returned
     * @param truncated whether the query had more rows than were returned
     */
    record Rows(List<ResultColumn> columns, List<List<Object>> rows, int rowCount, boolean truncated)
            implements QueryOutcome {

        public Rows {
            columns = List.copyOf(columns);
            List<List<Object>> copies = new ArrayList<>(rows.size());
            // Cells may be null, which List.copyOf refuses.
            rows.forEach(row -> copies.add(Collections.unmodifiableList(new ArrayList<>(row))));
            rows = Collections.unmodifiableList(copies);
        }

    }

    /**
     * The query did not produce rows; nothing was changed.
     *
     * @param kind what went wrong
     * @param reason a short explanation fit for a user and for the model to correct the query (the database's own
     * message for database errors: the first line, cut to a few hundred characters)
     */
    record Failed(FailureKind kind, String reason) implements QueryOutcome {
    }

}
