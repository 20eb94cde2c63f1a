package dev.switchboard.sql.internal.connection;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;

/**
 * A database an administrator registered for questions.
 *
 * @param id its id
 * @param name its slug, unique in the tenant
 * @param description what it holds, for people and models choosing a database
 * @param kind the engine
 * @param host the server's host name or address, checked by the outbound address policy on every connection
 * @param port the server's port
 * @param database the database (PostgreSQL) or schema (MySQL, MariaDB) to connect to
 * @param username the database user
 * @param password the user's password (decrypted; never shown, never logged), or null for none
 * @param tlsMode how the connection is encrypted
 * @param allowedTables the tables questions may read, with their readable and masked columns
 * @param maxRows the most rows an answer carries
 * @param statementTimeout the longest a statement may run
 * @param sharedWith who besides administrators may use it
 * @param revision grows with every change; a pool serves one revision
 */
public record RegisteredDatabase(UUID id, String name, String description, DatabaseKind kind, String host, int port,
        String database, String username, String password, TlsMode tlsMode, List<TableAccess> allowedTables, int maxRows,
        Duration statementTimeout, SharedWith sharedWith, long revision) {

    public RegisteredDatabase {
        allowedTables = List.copyOf(allowedTables);
    }

    /** Never the password: a record's own {@code toString} would print it wherever a database is logged. */
    @Override
    public String toString() {
        return "RegisteredDatabase[id=" + id + ", name=" + name + ", kind=" + kind.wireName() + ", host=" + host + ", port="
                + port + ", database=" + database + ", username=" + username + ", password="
                + (hasPassword() ? "set" : "none") + ", tlsMode=" + tlsMode.wireName() + ", revision=" + revision + "]";
    }

    public boolean hasPassword() {
        return password != null && !password.isEmpty();
    }

    /** {@code host:port}, as failures name the destination. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
