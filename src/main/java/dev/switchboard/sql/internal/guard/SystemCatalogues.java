package dev.switchboard.sql.internal.guard;

import java.util.Locale;
import java.util.Set;

import dev.switchboard.sql.internal.DatabaseKind;

/**
 * Schemas (databases, in MySQL terms) that hold the server's own catalogue, users, grants and state. Never
 * readable, whatever the allow-list says: they describe every other table and often hold password hashes.
 */
final class SystemCatalogues {

    private static final Set<String> MYSQL = Set.of("mysql", "information_schema", "performance_schema", "sys");

    private SystemCatalogues() {
    }

    /**
     * Whether a table named with this schema (null when unqualified) and name lies in a system catalogue.
     * PostgreSQL searches {@code pg_catalog} before the search path, so an unqualified {@code pg_…} name is a
     * catalogue table even when no schema is written.
     */
    static boolean isSystem(String schema, String table, DatabaseKind kind) {
        String s = schema == null ? null : schema.toLowerCase(Locale.ROOT);
        if (kind.mysqlFamily()) {
            return s != null && MYSQL.contains(s);
        }
        if (s == null) {
            return table.toLowerCase(Locale.ROOT).startsWith("pg_");
        }
        return s.startsWith("pg_") || s.equals("information_schema");
    }

}
