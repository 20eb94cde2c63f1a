package dev.switchboard.sql.internal;

import java.util.List;
import java.util.Locale;

/**
 * One table a registered connection lets questions read.
 *
 * @param table the table name, optionally schema-qualified ({@code sales.orders}); matched without regard to
 * case, as both engines fold unquoted identifiers
 * @param columns the readable columns; empty means every column of the table
 * @param maskedColumns readable columns whose values the executor replaces with a mask in results
 */
public record TableAccess(String table, List<String> columns, List<String> maskedColumns) {

    public TableAccess {
        columns = columns == null ? List.of() : List.copyOf(columns);
        maskedColumns = maskedColumns == null ? List.of() : List.copyOf(maskedColumns);
    }

    /** Whether every column of the table may be read. */
    public boolean allColumns() {
        return this.columns.isEmpty();
    }

    /** The table name as the guard compares it: lower case. */
    public String normalizedTable() {
        return this.table.toLowerCase(Locale.ROOT);
    }

}
