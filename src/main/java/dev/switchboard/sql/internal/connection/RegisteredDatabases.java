package dev.switchboard.sql.internal.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.identity.Role;
import dev.switchboard.shared.SecretBox;
import dev.switchboard.sql.AskableDatabase;
import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;
import dev.switchboard.tenancy.TenantContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current tenant's registered databases (row-level security), their password sealed by {@link SecretBox} bound
 * to tenant and id.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class RegisteredDatabases {

    private static final TypeReference<List<TableAccess>> TABLES = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final JsonMapper json;

    RegisteredDatabases(JdbcClient jdbc, SecretBox secrets, JsonMapper json) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.json = json;
    }

    public List<RegisteredDatabase> list() {
        return jdbc.sql("select * from sql_connections order by name").query(this::database).list();
    }

    /** Id, name, description and kind of every database, by name: no credential is read or opened. */
    public List<AskableDatabase> summaries() {
        return jdbc.sql("select id, name, description, kind from sql_connections order by name")
                .query((rs, row) -> new AskableDatabase(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("description"), kind(rs.getString("kind")).wireName()))
                .list();
    }

    public Optional<RegisteredDatabase> find(UUID id) {
        return jdbc.sql("select * from sql_connections where id = :id").param("id", id).query(this::database).optional();
    }

    /** Inserts a database; false when its name is taken in this tenant. */
    public boolean insert(RegisteredDatabase database) {
        return jdbc.sql("insert into sql_connections (id, tenant_id, name, description, kind, host, port, database_name, username, "
                + "password_sealed, tls_mode, allowed_tables, max_rows, statement_timeout_ms, shared_roles, shared_user_ids) "
                + "values (:id, :tenant, :name, :description, :kind, :host, :port, :database, :username, :password, :tls, "
                + "cast(:tables as jsonb), :maxRows, :timeout, :roles, :users) on conflict do nothing")
                .params(parameters(database)).update() == 1;
    }

    /** Replaces a database's settings and moves its revision on; false when there is none with the id. */
    public boolean update(RegisteredDatabase database) {
        return jdbc.sql("update sql_connections set name = :name, description = :description, kind = :kind, host = :host, "
                + "port = :port, database_name = :database, username = :username, password_sealed = :password, tls_mode = :tls, "
                + "allowed_tables = cast(:tables as jsonb), max_rows = :maxRows, statement_timeout_ms = :timeout, "
                + "shared_roles = :roles, shared_user_ids = :users, revision = revision + 1, updated_at = now() where id = :id")
                .params(parameters(database)).update() == 1;
    }

    /** Whether another database of this tenant has the name. */
    public boolean nameTaken(String name, UUID except) {
        return jdbc.sql("select exists (select 1 from sql_connections where name = :name and id <> :id)")
                .param("name", name).param("id", except).query(Boolean.class).single();
    }

    public boolean delete(UUID id) {
        return jdbc.sql("delete from sql_connections where id = :id").param("id", id).update() == 1;
    }

    private Map<String, Object> parameters(RegisteredDatabase database) {
        UUID tenant = TenantContext.require();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", database.id());
        parameters.put("tenant", tenant);
        parameters.put("name", database.name());
        parameters.put("description", database.description());
        parameters.put("kind", database.kind().wireName());
        parameters.put("host", database.host());
        parameters.put("port", database.port());
        parameters.put("database", database.database());
        parameters.put("username", database.username());
        parameters.put("password", database.hasPassword() ? secrets.seal(database.password(), context(tenant, database.id())) : null);
        parameters.put("tls", database.tlsMode().wireName());
        parameters.put("tables", json.writeValueAsString(database.allowedTables()));
        parameters.put("maxRows", database.maxRows());
        parameters.put("timeout", Math.toIntExact(database.statementTimeout().toMillis()));
        parameters.put("roles", database.sharedWith().roles().stream().map(Role::name).toArray(String[]::new));
        parameters.put("users", database.sharedWith().userIds().toArray(UUID[]::new));
        return parameters;
    }

    private RegisteredDatabase database(ResultSet rs, int row) throws SQLException {
        UUID tenant = rs.getObject("tenant_id", UUID.class);
        UUID id = rs.getObject("id", UUID.class);
        byte[] sealed = rs.getBytes("password_sealed");
        String password = sealed != null && sealed.length > 0 ? secrets.open(sealed, context(tenant, id)) : null;
        List<Role> roles = Arrays.stream((String[]) rs.getArray("shared_roles").getArray()).map(Role::valueOf).toList();
        List<UUID> users = Arrays.asList((UUID[]) rs.getArray("shared_user_ids").getArray());
        return new RegisteredDatabase(id, rs.getString("name"), rs.getString("description"), kind(rs.getString("kind")),
                rs.getString("host"), rs.getInt("port"), rs.getString("database_name"), rs.getString("username"), password,
                TlsMode.of(rs.getString("tls_mode")).orElseThrow(), json.readValue(rs.getString("allowed_tables"), TABLES),
                rs.getInt("max_rows"), Duration.ofMillis(rs.getInt("statement_timeout_ms")), new SharedWith(roles, users),
                rs.getLong("revision"));
    }

    private static DatabaseKind kind(String wireName) {
        return DatabaseKind.ofWireName(wireName);
    }

    static String context(UUID tenant, UUID id) {
        return "sql-connection:" + tenant + ":" + id;
    }
}
