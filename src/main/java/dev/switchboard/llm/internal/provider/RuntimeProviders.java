package dev.switchboard.llm.internal.provider;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
 * Providers administrators registered at run time, stored per tenant (row-level security) with their key
 * sealed by {@link SecretBox}, bound to tenant and id.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class RuntimeProviders {

    private static final TypeReference<List<ProviderSpec.ModelSpec>> MODELS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final JsonMapper json;

    RuntimeProviders(JdbcClient jdbc, SecretBox secrets, JsonMapper json) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.json = json;
    }

    public List<ProviderSpec> list() {
        return jdbc.sql("select * from llm_providers order by id").query(this::spec).list();
    }

    public Optional<ProviderSpec> find(String id) {
        return jdbc.sql("select * from llm_providers where id = :id").param("id", id).query(this::spec).optional();
    }

    /** Inserts a provider; false when the id is taken in this tenant. */
    public boolean insert(ProviderSpec spec) {
        return jdbc.sql("insert into llm_providers (tenant_id, id, kind, base_url, api_key_sealed, models, connect_timeout_ms, "
                + "first_token_timeout_ms, total_timeout_ms, max_retries) values (:tenant, :id, :kind, :url, :key, "
                + "cast(:models as jsonb), :connect, :first, :total, :retries) on conflict do nothing")
                .params(parameters(spec)).update() == 1;
    }

    /** Replaces a provider; false when there is none with the id. */
    public boolean update(ProviderSpec spec) {
        return jdbc.sql("update llm_providers set kind = :kind, base_url = :url, api_key_sealed = :key, models = cast(:models as jsonb), "
                + "connect_timeout_ms = :connect, first_token_timeout_ms = :first, total_timeout_ms = :total, "
                + "max_retries = :retries, revision = revision + 1, updated_at = now() where id = :id")
                .params(parameters(spec)).update() == 1;
    }

    public boolean delete(String id) {
        return jdbc.sql("delete from llm_providers where id = :id").param("id", id).update() == 1;
    }

    private Map<String, Object> parameters(ProviderSpec spec) {
        UUID tenant = TenantContext.require();
        return Map.ofEntries(
                Map.entry("tenant", tenant),
                Map.entry("id", spec.id()),
                Map.entry("kind", spec.kind().id()),
                Map.entry("url", spec.baseUrl()),
                Map.entry("key", spec.apiKey() == null || spec.apiKey().isEmpty() ? new byte[0]
                        : secrets.seal(spec.apiKey(), context(tenant, spec.id()))),
                Map.entry("models", json.writeValueAsString(spec.models())),
                Map.entry("connect", Math.toIntExact(spec.timeouts().connect().toMillis())),
                Map.entry("first", Math.toIntExact(spec.timeouts().firstToken().toMillis())),
                Map.entry("total", Math.toIntExact(spec.timeouts().total().toMillis())),
                Map.entry("retries", spec.maxRetries()));
    }

    private ProviderSpec spec(ResultSet rs, int row) throws SQLException {
        UUID tenant = rs.getObject("tenant_id", UUID.class);
        String id = rs.getString("id");
        byte[] sealed = rs.getBytes("api_key_sealed");
        String apiKey = sealed == null || sealed.length == 0 ? null : secrets.open(sealed, context(tenant, id));
        return new ProviderSpec(id, ProviderKind.of(rs.getString("kind")), rs.getString("base_url"), apiKey,
                json.readValue(rs.getString("models"), MODELS),
                new ProviderSpec.Timeouts(Duration.ofMillis(rs.getInt("connect_timeout_ms")),
                        Duration.ofMillis(rs.getInt("first_token_timeout_ms")), Duration.ofMillis(rs.getInt("total_timeout_ms"))),
                rs.getInt("max_retries"), rs.getLong("revision"), true);
    }

    static String context(UUID tenant, String id) {
        return "llm-provider:" + tenant + ":" + id;
    }
}
