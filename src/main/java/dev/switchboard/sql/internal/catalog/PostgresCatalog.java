package dev.switchboard.sql.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;

/** PostgreSQL's catalogue: {@code pg_class}, {@code pg_attribute}, {@code pg_constraint} and their descriptions. */
final class PostgresCatalog implements CatalogDialect {

    /** Tables, views, materialized views, partitioned and foreign tables: what a query may read. */
    private static final String LOCATE = """
            select n.nspname, c.relname, coalesce(obj_description(c.oid, 'pg_class'), ''), c.oid
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'v', 'm', 'p', 'f') and lower(c.relname) = lower(?)
              and (case when cast(? as text) is null then n.nspname = any (current_schemas(false)) else lower(n.nspname) = lower(?) end)
            order by array_position(current_schemas(false)::text[], n.nspname::text), c.relname::text = ? desc
            limit 1""";

    private static final String COLUMNS = """
            select a.attname, format_type(a.atttypid, a.atttypmod), not a.attnotnull, coalesce(col_description(a.attrelid, a.attnum), '')
            from pg_attribute a where a.attrelid = ? and a.attnum > 0 and not a.attisdropped order by a.attnum""";

    private static final String PRIMARY_KEY = """
            select a.attname from pg_index i
            join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, ord) on true
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
            where i.indrelid = ? and i.indisprimary order by k.ord""";

    private static final String FOREIGN_KEYS = """
            select array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord),
                   fn.nspname, fc.relname,
                   array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
                         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord)
            from pg_constraint con join pg_class fc on fc.oid = con.confrelid join pg_namespace fn on fn.oid = fc.relnamespace
            where con.conrelid = ? and con.contype = 'f' order by con.conname""";

    @Override
    public Optional<FoundTable> locate(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCATE)) {
            statement.setString(1, table);
            statement.setString(2, schema);
            statement.setString(3, schema);
            statement.setString(4, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next()
                        ? Optional.of(new FoundTable(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4)))
                        : Optional.empty();
            }
        }
    }

    @Override
    public List<Column> columns(Connection connection, FoundTable table) throws SQLException {
        return rowsOf(connection, COLUMNS, table,
                rows -> new Column(rows.getString(1), rows.getString(2), rows.getBoolean(3), rows.getString(4), false));
    }

    @Override
    public List<String> primaryKey(Connection connection, FoundTable table) throws SQLException {
        return rowsOf(connection, PRIMARY_KEY, table, rows -> rows.getString(1));
    }

    @Override
    public List<RawForeignKey> foreignKeys(Connection connection, FoundTable table) throws SQLException {
        return rowsOf(connection, FOREIGN_KEYS, table,
                rows -> new RawForeignKey(strings(rows, 1), rows.getString(2), rows.getString(3), strings(rows, 4)));
    }

    /** Reads one row of a catalogue query about a table. */
    @FunctionalInterface
    private interface RowReader<T> {

        T read(ResultSet rows) throws SQLException;
    }

    /** Every row of a catalogue query whose one parameter is the table's oid. */
    private static <T> List<T> rowsOf(Connection connection, String sql, FoundTable table, RowReader<T> reader)
            throws SQLException {
        List<T> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, table.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(reader.read(rows));
                }
            }
        }
        return found;
    }

    private static List<String> strings(ResultSet rows, int column) throws SQLException {
        return Arrays.asList((String[]) rows.getArray(column).getArray());
    }
}
