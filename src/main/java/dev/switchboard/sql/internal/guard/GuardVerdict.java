package dev.switchboard.sql.internal.guard;

import java.util.List;

/**
 * What the guard decided about one statement. Both outcomes are expected, so both are values: callers switch
 * over them instead of catching exceptions.
 */
public sealed interface GuardVerdict {

    /**
     * The statement is a plain read-only query over allowed tables, columns and functions.
     *
     * @param sql the SQL to run: the analysed statement printed back from its syntax tree (comments dropped,
     * LIMIT enforced), never the text as submitted, so the database runs exactly what was checked
     * @param rowLimit the LIMIT the SQL carries: the statement's own when at most {@code maxRows}, otherwise
     * {@code maxRows + 1} (the extra row only tells the executor that the result was cut)
     * @param maskedColumns zero-based positions of result columns that come straight from masked columns and
     * whose values the executor replaces
     */
    record Allowed(String sql, long rowLimit, List<Integer> maskedColumns) implements GuardVerdict {

        public Allowed {
            maskedColumns = List.copyOf(maskedColumns);
        }

    }

    /**
     * The statement is not run.
     *
     * @param kind the stable category of the refusal
     * @param reason what is wrong and what to write instead, in words a user and the model can act on
     */
    record Refused(RefusalKind kind, String reason) implements GuardVerdict {
    }

    /** Whether the statement may run. */
    default boolean allowed() {
        return this instanceof Allowed;
    }

}
