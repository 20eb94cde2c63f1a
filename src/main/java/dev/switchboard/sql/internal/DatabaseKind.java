package dev.switchboard.sql.internal;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The database engines a registered connection may point at. The kind decides the JDBC driver, the SQL
 * dialect the guard parses and the model writes, the functions the guard allows and how the executor makes
 * a session read-only with a statement timeout.
 */
public enum DatabaseKind {

    POSTGRESQL("postgresql"), MYSQL("mysql"), MARIADB("mariadb");

    private final String wireName;

    DatabaseKind(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in requests, responses and documentation. */
    @JsonValue
    public String wireName() {
        return this.wireName;
    }

    /** The kind of this wire name, as stored and sent. */
    public static DatabaseKind ofWireName(String wireName) {
        for (DatabaseKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Not a database kind: " + wireName);
    }

    /** MySQL and MariaDB share one dialect as far as the guard and the model are concerned. */
    public boolean mysqlFamily() {
        return this != POSTGRESQL;
    }

}
