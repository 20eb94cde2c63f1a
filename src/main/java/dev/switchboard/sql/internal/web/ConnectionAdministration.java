package dev.switchboard.sql.internal.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.identity.TenantUsers;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.sql.internal.catalog.CatalogReader;
import dev.switchboard.sql.internal.catalog.CatalogReader.CatalogRead;
import dev.switchboard.sql.internal.catalog.ConnectionCatalogs;
import dev.switchboard.sql.internal.catalog.SchemaCatalog;
import dev.switchboard.sql.internal.catalog.SchemaCatalogs;
import dev.switchboard.sql.internal.connection.ConnectFailure;
import dev.switchboard.sql.internal.connection.ConnectionProperties;
import dev.switchboard.sql.internal.connection.DatabasePools;
import dev.switchboard.sql.internal.connection.RegisteredDatabase;
import dev.switchboard.sql.internal.connection.RegisteredDatabases;
import dev.switchboard.sql.internal.connection.SharedWith;
import dev.switchboard.sql.internal.connection.SqlConnections;
import dev.switchboard.sql.internal.connection.TlsMode;
import dev.switchboard.sql.internal.connection.UsableDatabase;
import dev.switchboard.tenancy.TenantContext;

/**
 * Registering, changing, removing and refreshing the current tenant's databases. A database is tested before it is
 * saved — a connection opened through the checked socket factory and the catalogue of its allowed tables read — and
 * nothing is saved when that fails. The network exchange happens outside any transaction, so a slow database holds
 * no connection to Switchboard's own.
 */
@Service
class ConnectionAdministration {

    private final RegisteredDatabases databases;
    private final SchemaCatalogs catalogs;
    private final CatalogReader reader;
    private final ConnectionCatalogs connectionCatalogs;
    private final DatabasePools pools;
    private final SqlConnections connections;
    private final ConnectionProperties properties;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TenantUsers users;

    ConnectionAdministration(RegisteredDatabases databases, SchemaCatalogs catalogs, CatalogReader reader,
            ConnectionCatalogs connectionCatalogs, DatabasePools pools,
            SqlConnections connections, ConnectionProperties properties, TransactionTemplate transactions,
            ApplicationEventPublisher events, Clock clock, TenantUsers users) {
        this.users = users;
        this.databases = databases;
        this.catalogs = catalogs;
        this.reader = reader;
        this.connectionCatalogs = connectionCatalogs;
        this.pools = pools;
        this.connections = connections;
        this.properties = properties;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    List<RegisteredDatabase> list() {
        return transactions.execute(status -> databases.list());
    }

    Optional<RegisteredDatabase> find(UUID id) {
        return transactions.execute(status -> databases.find(id));
    }

    Optional<SchemaCatalog> catalog(UUID id) {
        return connectionCatalogs.catalog(id);
    }

    RegisteredDatabase register(ConnectionRequest request) {
        RegisteredDatabase database = settings(UUID.randomUUID(), request, null);
        if (Boolean.TRUE.equals(transactions.execute(status -> databases.nameTaken(database.name(), database.id())))) {
            throw nameTaken(database.name());
        }
        SchemaCatalog catalog = tested(database);
        boolean inserted = Boolean.TRUE.equals(transactions.execute(status -> {
            if (!databases.insert(database)) {
                return false;
            }
            catalogs.save(database.id(), catalog);
            return true;
        }));
        if (!inserted) {
            throw nameTaken(database.name());
        }
        audit(database, "sql_connection.created");
        return database;
    }

    RegisteredDatabase update(UUID id, ConnectionRequest request) {
        RegisteredDatabase existing = find(id).orElseThrow(() -> SqlConnections.notFound(id));
        RegisteredDatabase database = settings(id, request, existing);
        if (Boolean.TRUE.equals(transactions.execute(status -> databases.nameTaken(database.name(), id)))) {
            throw nameTaken(database.name());
        }
        SchemaCatalog catalog = tested(database);
        RegisteredDatabase saved = transactions.execute(status -> {
            if (!databases.update(database)) {
                return null;
            }
            catalogs.save(id, catalog);
            return databases.find(id).orElse(null);
        });
        if (saved == null) {
            throw SqlConnections.notFound(id);
        }
        pools.discard(TenantContext.require(), id);
        audit(saved, "sql_connection.updated");
        return saved;
    }

    void delete(UUID id) {
        RegisteredDatabase database = find(id).orElseThrow(() -> SqlConnections.notFound(id));
        if (!Boolean.TRUE.equals(transactions.execute(status -> databases.delete(id)))) {
            throw SqlConnections.notFound(id);
        }
        pools.discard(TenantContext.require(), id);
        audit(database, "sql_connection.deleted");
    }

    /** Reads the catalogue again over the database's pool, and stores it. */
    SchemaCatalog refresh(UUID id) {
        UsableDatabase usable = connections.dataSource(id);
        SchemaCatalog catalog;
        try {
            catalog = readable(connections.withConnection(usable, connection -> reader.read(connection, usable.settings().kind(),
                    usable.settings().allowedTables())), "The catalogue was not refreshed");
        }
        catch (SQLException failure) {
            throw new SwitchboardException(HttpStatus.BAD_GATEWAY, "database-catalog-failed", "Reading the catalogue of '"
                    + usable.settings().name() + "' failed: " + ConnectFailure.of(failure, usable.settings()).reason(), failure);
        }
        transactions.executeWithoutResult(status -> catalogs.save(id, catalog));
        return catalog;
    }

    /** The catalogue of a new or changed database, read over a fresh connection; a failure refuses the save. */
    private SchemaCatalog tested(RegisteredDatabase database) {
        try (Connection connection = pools.connect(database)) {
            return readable(reader.read(connection, database.kind(), database.allowedTables()), "The database was not saved");
        }
        catch (SQLException failure) {
            ConnectFailure why = ConnectFailure.of(failure, database);
            if (why.refused().isPresent()) {
                throw why.refused().get();
            }
            throw new SwitchboardException(HttpStatus.UNPROCESSABLE_CONTENT, "database-test-failed", "The database was not "
                    + "saved: connecting to it failed. " + why.reason());
        }
    }

    private static SchemaCatalog readable(CatalogRead read, String outcome) {
        return switch (read) {
            case CatalogRead.Read done -> done.catalog();
            case CatalogRead.Missing missing -> throw new SwitchboardException(HttpStatus.UNPROCESSABLE_CONTENT,
                    "database-tables-missing", outcome + ": allowedTables names what the database does not have: "
                            + String.join("; ", missing.problems()) + ".");
        };
    }

    private RegisteredDatabase settings(UUID id, ConnectionRequest request, RegisteredDatabase existing) {
        if (request.allowedTables().size() > properties.maxAllowedTables()) {
            throw invalid("allowedTables names at most " + properties.maxAllowedTables() + " tables "
                    + "(switchboard.sql.connections.max-allowed-tables).");
        }
        int maxRows = request.maxRows() == null ? properties.defaultMaxRows() : request.maxRows();
        if (maxRows > properties.maxRowsLimit()) {
            throw invalid("maxRows must be at most " + properties.maxRowsLimit() + " (switchboard.sql.connections.max-rows-limit).");
        }
        Duration timeout = request.statementTimeout() == null ? properties.defaultStatementTimeout() : request.statementTimeout();
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(properties.maxStatementTimeout()) > 0) {
            throw invalid("statementTimeout must be between PT0.1S and " + properties.maxStatementTimeout()
                    + " (ISO-8601, e.g. PT30S; switchboard.sql.connections.max-statement-timeout).");
        }
        SharedWith sharedWith = request.sharedWith() == null ? SharedWith.NOBODY : request.sharedWith().sharedWith();
        Set<UUID> strangers = users.notInTenant(sharedWith.userIds());
        if (!strangers.isEmpty()) {
            throw invalid("sharedWith.userIds names " + strangers.size() + " id(s) that are not users of this tenant: "
                    + strangers.stream().limit(10).map(UUID::toString).collect(Collectors.joining(", "))
                    + (strangers.size() > 10 ? ", …" : "") + " (GET /api/users lists them).");
        }
        String password = request.password() != null ? request.password() : existing != null ? existing.password() : null;
        return new RegisteredDatabase(id, request.name(), request.description() == null ? "" : request.description().strip(),
                request.kind(), request.host(), request.port(), request.database(), request.username(), password,
                request.tlsMode() == null ? TlsMode.VERIFY_FULL : request.tlsMode(),
                request.allowedTables().stream().map(ConnectionRequest.AllowedTable::access).toList(), maxRows, timeout,
                sharedWith,
                existing == null ? 1 : existing.revision());
    }

    /**
     * The audit log records the change: a registered database is a destination Switchboard connects to with a stored
     * credential, and what it answers reaches the models.
     */
    private void audit(RegisteredDatabase database, String action) {
        Caller caller = Callers.require();
        String address = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
        events.publishEvent(new SecurityEventOccurred(action, caller.tenantId(), caller.userId(), caller.email(), address,
                database.id(), Map.of("connection", database.name(), "kind", database.kind().wireName(), "host", database.host(),
                        "tables", database.allowedTables().size()), clock.instant()));
    }

    private static SwitchboardException nameTaken(String name) {
        return new SwitchboardException(HttpStatus.CONFLICT, "sql-connection-exists", "There is already a database connection "
                + "named '" + name + "'; change it with PUT /api/sql/connections/{id}.");
    }

    private static SwitchboardException invalid(String detail) {
        return new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", detail);
    }
}
