package dev.switchboard.mcp.internal.client;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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

import dev.switchboard.shared.SecretBox;
import dev.switchboard.tenancy.TenantContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The current tenant's external MCP servers (row-level security), their credential sealed by {@link SecretBox}
 * bound to tenant and id.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
class McpServers {

    private static final TypeReference<List<ListedTool>> TOOLS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final JsonMapper json;

    McpServers(JdbcClient jdbc, SecretBox secrets, JsonMapper json) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.json = json;
    }

    List<McpServer> list() {
        return jdbc.sql("select * from mcp_servers order by name").query(this::server).list();
    }

    Optional<McpServer> find(UUID id) {
        return jdbc.sql("select * from mcp_servers where id = :id").param("id", id).query(this::server).optional();
    }

    /** Inserts a server; false when its name is taken in this tenant. */
    boolean insert(McpServer server) {
        return jdbc.sql("insert into mcp_servers (id, tenant_id, name, url, transport, auth_header_name, auth_header_sealed, "
                + "allowed_tools, timeout_ms, approved_tools, tools, tools_refreshed_at) values (:id, :tenant, :name, :url, "
                + ":transport, :headerName, :header, :allowed, :timeout, cast(:approved as jsonb), cast(:tools as jsonb), "
                + ":refreshed) on conflict do nothing")
                .params(parameters(server)).update() == 1;
    }

    /** Replaces a server's settings and tools; false when there is none with the id. */
    boolean update(McpServer server) {
        return jdbc.sql("update mcp_servers set name = :name, url = :url, transport = :transport, auth_header_name = :headerName, "
                + "auth_header_sealed = :header, allowed_tools = :allowed, timeout_ms = :timeout, "
                + "approved_tools = cast(:approved as jsonb), tools = cast(:tools as jsonb), tools_refreshed_at = :refreshed, "
                + "revision = revision + 1, updated_at = now() where id = :id")
                .params(parameters(server)).update() == 1;
    }

    /** Whether another server of this tenant has the name. */
    boolean nameTaken(String name, UUID except) {
        return jdbc.sql("select exists (select 1 from mcp_servers where name = :name and id <> :id)")
                .param("name", name).param("id", except).query(Boolean.class).single();
    }

    /**
     * Stores what a refresh listed, unless the server was saved (or deleted) since the listing started: a save lists
     * the tools itself, and its list must not be replaced by one from the old settings.
     */
    void refreshed(UUID id, List<ListedTool> tools, Instant at, Instant listedBefore) {
        jdbc.sql("update mcp_servers set tools = cast(:tools as jsonb), tools_refreshed_at = :at where id = :id "
                + "and tools_refreshed_at = :before")
                .param("tools", json.writeValueAsString(tools)).param("at", Timestamp.from(at)).param("id", id)
                .param("before", Timestamp.from(listedBefore)).update();
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from mcp_servers where id = :id").param("id", id).update() == 1;
    }

    private Map<String, Object> parameters(McpServer server) {
        UUID tenant = TenantContext.require();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", server.id());
        parameters.put("tenant", tenant);
        parameters.put("name", server.name());
        parameters.put("url", server.url());
        parameters.put("transport", server.transport().id());
        parameters.put("headerName", server.hasCredential() ? server.authHeaderName() : null);
        parameters.put("header", server.hasCredential() ? secrets.seal(server.authHeaderValue(), context(tenant, server.id())) : null);
        parameters.put("allowed", server.allowedTools().toArray(String[]::new));
        parameters.put("timeout", Math.toIntExact(server.timeout().toMillis()));
        parameters.put("approved", json.writeValueAsString(server.approvedTools()));
        parameters.put("tools", json.writeValueAsString(server.tools()));
        parameters.put("refreshed", Timestamp.from(server.toolsRefreshedAt()));
        return parameters;
    }

    private McpServer server(ResultSet rs, int row) throws SQLException {
        UUID tenant = rs.getObject("tenant_id", UUID.class);
        UUID id = rs.getObject("id", UUID.class);
        byte[] sealed = rs.getBytes("auth_header_sealed");
        boolean credential = sealed != null && sealed.length > 0;
        Array allowed = rs.getArray("allowed_tools");
        return new McpServer(id, rs.getString("name"), rs.getString("url"),
                McpTransportKind.of(rs.getString("transport")).orElseThrow(),
                credential ? rs.getString("auth_header_name") : null,
                credential ? secrets.open(sealed, context(tenant, id)) : null,
                Arrays.asList((String[]) allowed.getArray()),
                json.readValue(rs.getString("approved_tools"), TOOLS), json.readValue(rs.getString("tools"), TOOLS),
                Duration.ofMillis(rs.getInt("timeout_ms")), rs.getTimestamp("tools_refreshed_at").toInstant());
    }

    static String context(UUID tenant, UUID id) {
        return "mcp-server:" + tenant + ":" + id;
    }
}
