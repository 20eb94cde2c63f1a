package dev.switchboard.sql.internal.catalog;

import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.tenancy.TenantContext;
import tools.jackson.databind.json.JsonMapper;

/** The stored catalogue of each of the current tenant's registered databases (row-level security). */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class SchemaCatalogs {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SchemaCatalogs(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public Optional<SchemaCatalog> find(UUID connection) {
        return jdbc.sql("select catalog from sql_schema_catalogs where connection_id = :id").param("id", connection)
                .query((rs, row) -> json.readValue(rs.getString(1), SchemaCatalog.class)).optional();
    }

    /** Stores the catalogue read last, replacing the one before. */
    public void save(UUID connection, SchemaCatalog catalog) {
        jdbc.sql("insert into sql_schema_catalogs (connection_id, tenant_id, catalog, read_at) values (:id, :tenant, "
                + "cast(:catalog as jsonb), :at) on conflict (connection_id) do update set catalog = excluded.catalog, "
                + "read_at = excluded.read_at")
                .param("id", connection).param("tenant", TenantContext.require())
                .param("catalog", json.writeValueAsString(catalog)).param("at", Timestamp.from(catalog.readAt())).update();
    }
}
