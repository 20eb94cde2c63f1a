package dev.switchboard.sql.internal.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;
import dev.switchboard.sql.internal.catalog.CatalogDialect.FoundTable;
import dev.switchboard.sql.internal.catalog.CatalogDialect.RawForeignKey;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Column;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.ForeignKey;
import dev.switchboard.sql.internal.catalog.SchemaCatalog.Table;

/**
 * Reads the catalogue of a registered database's allowed tables from the database's own catalogue: only the allowed
 * tables, only their readable columns, and only foreign keys between allowed tables (the names of other tables are
 * not the model's business). An allowed table or column the database does not have is a {@link CatalogRead.Missing}
 * outcome naming each, not an exception: the administrator is told what to fix.
 */
@Component
public class CatalogReader {

    /** What reading found: the catalogue, or what the allow-list names that the database does not have. */
    public sealed interface CatalogRead {

        record Read(SchemaCatalog catalog) implements CatalogRead {
        }

        record Missing(List<String> problems) implements CatalogRead {

            public Missing {
                problems = List.copyOf(problems);
            }
        }
    }

    private final Clock clock;

    CatalogReader(Clock clock) {
        this.clock = clock;
    }

    /** Reads the allowed tables over {@code connection}, which it leaves open. */
    public CatalogRead read(Connection connection, DatabaseKind kind, List<TableAccess> allowed) throws SQLException {
        CatalogDialect dialect = kind == DatabaseKind.POSTGRESQL ? new PostgresCatalog() : new MySqlCatalog();
        Map<String, String> allowedNames = new HashMap<>();
        Map<TableAccess, FoundTable> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (TableAccess access : allowed) {
            int dot = access.table().indexOf('.');
            String schema = dot < 0 ? null : access.table().substring(0, dot);
            String name = dot < 0 ? access.table() : access.table().substring(dot + 1);
            Optional<FoundTable> table = dialect.locate(connection, schema, name);
            if (table.isEmpty()) {
                problems.add("table " + access.table() + " does not exist (or the user may not see it)");
                continue;
            }
            found.put(access, table.get());
            allowedNames.put(key(table.get().schema(), table.get().name()), access.table());
        }
        List<Table> tables = new ArrayList<>();
        for (Map.Entry<TableAccess, FoundTable> entry : found.entrySet()) {
            tables.add(table(connection, dialect, entry.getKey(), entry.getValue(), allowedNames, problems));
        }
        return problems.isEmpty() ? new CatalogRead.Read(new SchemaCatalog(tables, clock.instant()))
                : new CatalogRead.Missing(problems);
    }

    private static Table table(Connection connection, CatalogDialect dialect, TableAccess access, FoundTable found,
            Map<String, String> allowedNames, List<String> problems) throws SQLException {
        List<Column> all = dialect.columns(connection, found);
        Set<String> existing = all.stream().map(column -> lower(column.name())).collect(Collectors.toSet());
        Set<String> readable = access.allColumns() ? existing
                : access.columns().stream().map(CatalogReader::lower).collect(Collectors.toSet());
        for (String column : access.columns()) {
            if (!existing.contains(lower(column))) {
                problems.add("column " + access.table() + "." + column + " does not exist");
            }
        }
        Set<String> masked = access.maskedColumns().stream().map(CatalogReader::lower).collect(Collectors.toSet());
        for (String column : access.maskedColumns()) {
            if (!readable.contains(lower(column)) || !existing.contains(lower(column))) {
                problems.add("masked column " + access.table() + "." + column + " is not a readable column of the table");
            }
        }
        List<Column> columns = all.stream().filter(column -> readable.contains(lower(column.name())))
                .map(column -> new Column(column.name(), column.type(), column.nullable(), column.comment(),
                        masked.contains(lower(column.name()))))
                .toList();
        List<ForeignKey> keys = new ArrayList<>();
        for (RawForeignKey key : dialect.foreignKeys(connection, found)) {
            String referenced = allowedNames.get(key(key.referencedSchema(), key.referencedTable()));
            if (referenced != null && key.columns().stream().allMatch(column -> readable.contains(lower(column)))) {
                keys.add(new ForeignKey(key.columns(), referenced, key.referencedColumns()));
            }
        }
        List<String> primaryKey = dialect.primaryKey(connection, found).stream().filter(column -> readable.contains(lower(column)))
                .toList();
        return new Table(access.table(), found.comment(), columns, primaryKey, keys);
    }

    private static String key(String schema, String table) {
        return schema + "\u0000" + table;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
