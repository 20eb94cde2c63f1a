package dev.switchboard.sql.internal.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;

/** MySQL's and MariaDB's catalogue: {@code information_schema} with its table and column comments. */
final class MySqlCatalog implements CatalogDialect {

    private static final String LOCATE = """
            select TABLE_SCHEMA, TABLE_NAME, TABLE_COMMENT, TABLE_TYPE from information_schema.TABLES
            where lower(TABLE_SCHEMA) = lower(coalesce(?, database())) and lower(TABLE_NAME) = lower(?)
            order by TABLE_NAME = ? desc limit 1""";

    private static final String COLUMNS = """
            select COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_COMMENT from information_schema.COLUMNS
            where TABLE_SCHEMA = ? and TABLE_NAME = ? order by ORDINAL_POSITION""";

    private static final String PRIMARY_KEY = """
            select COLUMN_NAME from information_schema.KEY_COLUMN_USAGE
            where TABLE_SCHEMA = ? and TABLE_NAME = ? and CONSTRAINT_NAME = 'PRIMARY' order by ORDINAL_POSITION""";

    private static final String FOREIGN_KEYS = """
            select CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
            from information_schema.KEY_COLUMN_USAGE
            where TABLE_SCHEMA = ? and TABLE_NAME = ? and REFERENCED_TABLE_NAME is not null
            order by CONSTRAINT_NAME, ORDINAL_POSITION""";

    @Override
    public Optional<FoundTable> locate(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(LOCATE)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            statement.setString(3, table);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                // A view's TABLE_COMMENT is the word VIEW, not a description.
                String comment = "VIEW".equals(rows.getString(4)) ? "" : rows.getString(3);
                return Optional.of(new FoundTable(rows.getString(1), rows.getString(2), comment, 0));
            }
        }
    }

    @Override
    public List<Column> columns(Connection connection, FoundTable table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = prepared(connection, COLUMNS, table); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                columns.add(new Column(rows.getString(1), rows.getString(2), "YES".equals(rows.getString(3)), rows.getString(4),
                        false));
            }
        }
        return columns;
    }

    @Override
    public List<String> primaryKey(Connection connection, FoundTable table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement statement = prepared(connection, PRIMARY_KEY, table); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                key.add(rows.getString(1));
            }
        }
        return key;
    }

    @Override
    public List<RawForeignKey> foreignKeys(Connection connection, FoundTable table) throws SQLException {
        Map<String, List<String[]>> byConstraint = new LinkedHashMap<>();
        try (PreparedStatement statement = prepared(connection, FOREIGN_KEYS, table); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                byConstraint.computeIfAbsent(rows.getString(1), name -> new ArrayList<>())
                        .add(new String[] {rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5)});
            }
        }
        List<RawForeignKey> keys = new ArrayList<>();
        for (List<String[]> parts : byConstraint.values()) {
            keys.add(new RawForeignKey(parts.stream().map(part -> part[0]).toList(), parts.getFirst()[1], parts.getFirst()[2],
                    parts.stream().map(part -> part[3]).toList()));
        }
        return keys;
    }

    private static PreparedStatement prepared(Connection connection, String sql, FoundTable table) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setString(1, table.schema());
        statement.setString(2, table.name());
        return statement;
    }
}
