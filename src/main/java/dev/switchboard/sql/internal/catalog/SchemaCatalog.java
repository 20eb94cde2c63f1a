package dev.switchboard.sql.internal.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The allowed tables of a registered database as its own catalogue describes them, read at {@code readAt}.
 *
 * @param tables the allowed tables, in the order they were allowed
 * @param readAt when the database was asked
 */
public record SchemaCatalog(List<Table> tables, Instant readAt) {

    public SchemaCatalog {
        tables = List.copyOf(tables);
    }

    /** The table of that name (as allowed, without regard to case), if it is one. */
    public Optional<Table> table(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return tables.stream().filter(table -> table.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /**
     * One allowed table.
     *
     * @param name the name questions use for it: as the administrator allowed it (schema-qualified or not)
     * @param comment the table's comment in the database, or empty
     * @param columns its readable columns, in the table's order
     * @param primaryKey the columns of its primary key, in key order (empty when it has none)
     * @param foreignKeys its foreign keys to other allowed tables
     */
    public record Table(String name, String comment, List<Column> columns, List<String> primaryKey, List<ForeignKey> foreignKeys) {

        public Table {
            comment = comment == null ? "" : comment;
            columns = List.copyOf(columns);
            primaryKey = List.copyOf(primaryKey);
            foreignKeys = List.copyOf(foreignKeys);
        }
    }

    /**
     * One readable column.
     *
     * @param name its name
     * @param type its type as the database writes it ({@code character varying(100)}, {@code decimal(10,2)})
     * @param nullable whether it may be null
     * @param comment its comment in the database, or empty
     * @param masked whether answers show a mask instead of its values
     */
    public record Column(String name, String type, boolean nullable, String comment, boolean masked) {

        public Column {
            comment = comment == null ? "" : comment;
        }
    }

    /**
     * A foreign key to another allowed table.
     *
     * @param columns the referencing columns of this table
     * @param referencedTable the referenced table's name as allowed
     * @param referencedColumns the referenced columns, in the same order
     */
    public record ForeignKey(List<String> columns, String referencedTable, List<String> referencedColumns) {

        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }
}
