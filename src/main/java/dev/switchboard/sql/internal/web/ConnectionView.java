package dev.switchboard.sql.internal.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;
import dev.switchboard.sql.internal.connection.RegisteredDatabase;
import dev.switchboard.sql.internal.connection.SharedWith;

/**
 * A registered database as a caller sees it: never its password (only whether it has one); members see only what
 * they need to choose one — id, name, description, kind — and the administrative fields are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ConnectionView(UUID id, String name, String description, DatabaseKind kind, String host, Integer port, String database,
        String username, Boolean passwordSet, String tlsMode, List<TableAccess> allowedTables, Integer maxRows,
        String statementTimeout, SharedWith sharedWith, Instant schemaReadAt) {

    static ConnectionView forAdmin(RegisteredDatabase database, Instant schemaReadAt) {
        return new ConnectionView(database.id(), database.name(), database.description(), database.kind(), database.host(),
                database.port(), database.database(), database.username(), database.hasPassword(),
                database.tlsMode().wireName(), database.allowedTables(), database.maxRows(),
                database.statementTimeout().toString(), database.sharedWith(), schemaReadAt);
    }

    static ConnectionView forMember(RegisteredDatabase database) {
        return new ConnectionView(database.id(), database.name(), database.description(), database.kind(), null, null, null,
                null, null, null, null, null, null, null, null);
    }
}
