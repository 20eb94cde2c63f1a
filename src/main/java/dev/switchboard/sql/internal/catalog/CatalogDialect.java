package dev.switchboard.sql.internal.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;

/**
 * How one engine's own catalogue answers what {@link CatalogReader} asks. Names are found without regard to case,
 * as both engines fold unquoted identifiers.
 */
interface CatalogDialect {

    /** A table as the database knows it: its real schema and name, and the engine's handle for it. */
    record FoundTable(String schema, String name, String comment, long oid) {
    }

    /** A foreign key as the database knows it, before it is matched to the allowed tables. */
    record RawForeignKey(List<String> columns, String referencedSchema, String referencedTable, List<String> referencedColumns) {
    }

    /**
     * The table named {@code table}, in {@code schema} when given, otherwise where an unqualified name would find it
     * (PostgreSQL's search path, MySQL's current database).
     */
    Optional<FoundTable> locate(Connection connection, String schema, String table) throws SQLException;

    /** Every column, in the table's order, none masked yet. */
    List<Column> columns(Connection connection, FoundTable table) throws SQLException;

    List<String> primaryKey(Connection connection, FoundTable table) throws SQLException;

    List<RawForeignKey> foreignKeys(Connection connection, FoundTable table) throws SQLException;
}
