package dev.switchboard.sql.internal.guard;

import java.util.List;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;

/**
 * What one connection lets questions read.
 *
 * @param kind the engine, which decides the dialect, the system catalogues and the safe functions
 * @param tables the readable tables (and columns, and masked columns)
 * @param maxRows the most rows a result may carry
 */
public record GuardPolicy(DatabaseKind kind, List<TableAccess> tables, int maxRows) {

    public GuardPolicy {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

}
