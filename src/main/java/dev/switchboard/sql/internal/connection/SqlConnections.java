package dev.switchboard.sql.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.tenancy.TenantContext;

/**
 * The registered databases of the current tenant as those who ask questions reach them: the ones the caller may use,
 * and a pooled connection to one of them. What the executor and the ask stage call; administration lives in the web
 * package. Reading the settings takes a short transaction on Switchboard's own database; no connection to the
 * registered database is held inside it.
 */
@Service
public class SqlConnections {

    private final RegisteredDatabases databases;
    private final DatabasePools pools;
    private final TransactionTemplate transactions;

    SqlConnections(RegisteredDatabases databases, DatabasePools pools, TransactionTemplate transactions) {
        this.databases = databases;
        this.pools = pools;
        this.transactions = transactions;
    }

    /** Every registered database of the current tenant, by name (whoever may use it), without its settings. */
    public List<AskableDatabase> summaries() {
        return transactions.execute(status -> databases.summaries());
    }

    /** The databases the caller may use, by name. */
    public List<RegisteredDatabase> usable(Caller caller) {
        return transactions.execute(status -> databases.list()).stream()
                .filter(database -> database.sharedWith().admits(caller)).toList();
    }

    /** The database if the caller may use it: another tenant's, or one not shared with the caller, is not there. */
    public Optional<RegisteredDatabase> find(UUID id, Caller caller) {
        return transactions.execute(status -> databases.find(id)).filter(database -> database.sharedWith().admits(caller));
    }

    /**
     * The database the current caller may use, with its pool.
     *
     * @throws SwitchboardException 404 when there is none the caller may use
     */
    public UsableDatabase dataSource(UUID id) {
        return dataSource(id, Callers.require());
    }

    /**
     * The database {@code caller} may use, with its pool: for work that knows its caller (a tool call).
     *
     * @throws SwitchboardException 404 when there is none the caller may use
     */
    public UsableDatabase dataSource(UUID id, Caller caller) {
        RegisteredDatabase database = find(id, caller).orElseThrow(() -> notFound(id));
        return new UsableDatabase(database, pools.pool(TenantContext.require(), database));
    }

    /**
     * A connection from the database's pool (read-only, auto-commit off); the caller closes it.
     *
     * @throws DatabaseUnavailableException (503) when none could be had within the pool's acquire timeout
     * @throws dev.switchboard.shared.OutboundRefusedException (422) when the address policy refuses the destination
     */
    public Connection borrow(UsableDatabase database) {
        try {
            return database.dataSource().getConnection();
        }
        catch (SQLException failure) {
            ConnectFailure why = ConnectFailure.of(failure, database.settings());
            if (why.refused().isPresent()) {
                throw why.refused().get();
            }
            throw new DatabaseUnavailableException(database.settings(), why.reason());
        }
    }

    /** Work on a borrowed connection. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection from the database's pool, rolling back whatever it leaves open. A pooled
     * connection the network cut while it idled fails at its first use; the pool then discards it, and the work is run
     * once more on a fresh one (it is read-only, so running it again is harmless). When the database is not reachable
     * the caller gets a {@link DatabaseUnavailableException} (503); the work's own failures reach it as they are.
     */
    public <T> T withConnection(UsableDatabase database, ConnectionWork<T> work) throws SQLException {
        try {
            return attempt(database, work);
        }
        catch (SQLException failure) {
            if (!connectionLost(failure)) {
                throw failure;
            }
        }
        try {
            return attempt(database, work);
        }
        catch (SQLException failure) {
            if (connectionLost(failure)) {
                throw new DatabaseUnavailableException(database.settings(), ConnectFailure.of(failure, database.settings()).reason());
            }
            throw failure;
        }
    }

    private <T> T attempt(UsableDatabase database, ConnectionWork<T> work) throws SQLException {
        try (Connection connection = borrow(database)) {
            try {
                return work.run(connection);
            }
            finally {
                if (!connection.isClosed() && !connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        }
    }

    /** SQLSTATE class 08: the connection itself failed, not the statement. */
    private static boolean connectionLost(SQLException failure) {
        return failure.getSQLState() != null && failure.getSQLState().startsWith("08");
    }

    public static SwitchboardException notFound(UUID id) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no database connection " + id + ".");
    }
}
