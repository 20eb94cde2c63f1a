package dev.switchboard.sql.internal.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.sql.internal.catalog.SchemaCatalog;
import dev.switchboard.sql.internal.connection.RegisteredDatabase;
import dev.switchboard.sql.internal.connection.SqlConnections;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

@Tag(name = "SQL connections")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/sql/connections")
class SqlConnectionController {

    private final ConnectionAdministration administration;
    private final SqlConnections connections;

    SqlConnectionController(ConnectionAdministration administration, SqlConnections connections) {
        this.administration = administration;
        this.connections = connections;
    }

    record ConnectionList(List<ConnectionView> connections) {
    }

    @Operation(summary = "List databases", description = "Admins: every registered database of the tenant, without "
            + "passwords (passwordSet says whether there is one). Members and keys without the admin scope: id, name, "
            + "description and kind of the databases shared with them.")
    @GetMapping
    ConnectionList list() {
        Caller caller = Callers.require();
        if (caller.actsAsAdmin()) {
            return new ConnectionList(administration.list().stream().map(database -> ConnectionView.forAdmin(database,
                    administration.catalog(database.id()).map(SchemaCatalog::readAt).orElse(null))).toList());
        }
        return new ConnectionList(connections.usable(caller).stream().map(ConnectionView::forMember).toList());
    }

    @Operation(summary = "Show a database", description = "Admins see its settings (never the password); members the "
            + "summary of a database shared with them.")
    @GetMapping("/{id}")
    ConnectionView show(@PathVariable UUID id) {
        Caller caller = Callers.require();
        RegisteredDatabase database = connections.find(id, caller).orElseThrow(() -> SqlConnections.notFound(id));
        return caller.actsAsAdmin() ? admin(database) : ConnectionView.forMember(database);
    }

    @Operation(summary = "Register a database", description = "Tests it first — connects (through the outbound address "
            + "policy) and reads the catalogue of the allowed tables — and saves nothing when that fails: 422 with the reason "
            + "(database-test-failed, destination-refused, database-tables-missing). The password is stored encrypted and "
            + "never returned. tlsMode: disable, require or verify-full (the default). maxRows and statementTimeout "
            + "(ISO-8601) default to the server's settings.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView create(@Valid @RequestBody ConnectionRequest request) {
        return admin(administration.register(request));
    }

    @Operation(summary = "Change a database", description = "Replaces its settings and tests it again, as on registration. "
            + "Omit password to keep the stored one, send an empty one to remove it. This replica's pool for it is closed.")
    @PutMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    ConnectionView update(@PathVariable UUID id, @Valid @RequestBody ConnectionRequest request) {
        return admin(administration.update(id, request));
    }

    @Operation(summary = "Remove a database", description = "Its catalogue goes with it and its pool is closed.")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    void delete(@PathVariable UUID id) {
        administration.delete(id);
    }

    @Operation(summary = "A database's schema catalogue", description = "Tables, columns, types, nullability, keys, foreign "
            + "keys and comments of its allowed tables, as read at readAt. For admins and those it is shared with.")
    @GetMapping("/{id}/schema")
    SchemaCatalog schema(@PathVariable UUID id) {
        connections.find(id, Callers.require()).orElseThrow(() -> SqlConnections.notFound(id));
        return administration.catalog(id).orElseThrow(() -> SqlConnections.notFound(id));
    }

    @Operation(summary = "Read a database's catalogue again", description = "Over its pool: 503 database-unavailable when "
            + "the database does not answer in time, 422 database-tables-missing when an allowed table or column is gone.")
    @PostMapping("/{id}/refresh")
    @PreAuthorize("hasRole('ADMIN')")
    SchemaCatalog refresh(@PathVariable UUID id) {
        return administration.refresh(id);
    }

    private ConnectionView admin(RegisteredDatabase database) {
        Instant readAt = administration.catalog(database.id()).map(SchemaCatalog::readAt).orElse(null);
        return ConnectionView.forAdmin(database, readAt);
    }
}
