package dev.switchboard.sql.internal.execution;

import java.time.Duration;
import java.util.Set;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * One query to run read-only.
 *
 * @param kind the engine behind the connection
 * @param sql the statement (normally the guard's {@code Allowed.sql()})
 * @param statementTimeout the longest the server may work on it
 * @param maxRows the most rows returned; one more is read to know whether the result was cut
 * @param maskedColumns zero-based result positions whose values are replaced by {@link ReadOnlyExecutor#MASK}
 */
public record QueryRequest(DatabaseKind kind, String sql, Duration statementTimeout, int maxRows,
        Set<Integer> maskedColumns) {

    public QueryRequest {
        if (kind == null || sql == null || statementTimeout == null) {
            throw new IllegalArgumentException("kind, sql and statementTimeout are required");
        }
        if (maxRows < 1 || statementTimeout.isNegative() || statementTimeout.isZero()) {
            throw new IllegalArgumentException("maxRows and statementTimeout must be positive");
        }
        maskedColumns = maskedColumns == null ? Set.of() : Set.copyOf(maskedColumns);
    }

}
