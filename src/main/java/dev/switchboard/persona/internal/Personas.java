package dev.switchboard.persona.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolCatalog;
import dev.switchboard.persona.Persona;
import dev.switchboard.persona.PersonaCatalog;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.json.JsonMapper;

/** The current tenant's personas: managed by admins, each change a new version. */
@Service
class Personas implements PersonaCatalog {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A built-in tool's name, or an external one's {@code <server>/<tool>}. */
    private static final Pattern TOOL = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,63}(/[a-zA-Z0-9][a-zA-Z0-9_.:-]{0,63})?");

    /** What an administrator sends to create or replace a persona. */
    @Schema(name = "PersonaDefinition")
    record Definition(String slug, String name, String description, String instructions, String chain, Double temperature,
            Integer maxTokens, List<UUID> knowledgeBaseIds, List<String> allowedTools, Boolean membersAllowed) {
    }

    /** A persona as it was at one version. */
    record PersonaVersion(int version, Instant createdAt, Persona persona) {
    }

    /** A look-up by id or slug within a tenant. */
    private record Lookup(UUID tenant, String idOrSlug) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ToolCatalog tools;
    private final PersonaAudit audit;
    private final TransactionTemplate readOnly;
    /**
     * Look-ups of the chat path (every turn and completion names its persona), absent ones included; emptied for
     * the tenant on every change made here, expired after {@code switchboard.persona.cache-ttl} for changes made
     * through other replicas.
     */
    private final Cache<Lookup, Optional<Persona>> lookups;

    Personas(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactions, PersonaProperties properties,
            ToolCatalog tools, PersonaAudit audit) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.json = json;
        this.tools = tools;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.lookups = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).maximumSize(10_000).build();
    }

    @Transactional
    Persona create(Definition definition) {
        Definition valid = validated(definition);
        UUID id;
        try {
            id = jdbc.sql("insert into personas (tenant_id, slug, name, description, instructions, chain, temperature, max_tokens, "
                    + "knowledge_base_ids, allowed_tools, members_allowed) values (:tenant, :slug, :name, :description, "
                    + ":instructions, :chain, :temperature, :maxTokens, :kbs, :tools, :members) returning id")
                    .params(parameters(valid)).param("tenant", TenantContext.require())
                    .query(UUID.class).single();
        }
        catch (DuplicateKeyException ex) {
            throw slugTaken(valid.slug());
        }
        Persona persona = find(id).orElseThrow();
        snapshot(persona);
        forgetTenant();
        audit.record(PersonaAudit.Action.CREATED, persona, Map.of());
        return persona;
    }

    @Transactional
    Persona replace(UUID id, Definition definition) {
        Persona persona = write(id, definition);
        audit.record(PersonaAudit.Action.UPDATED, persona, Map.of());
        return persona;
    }

    /**
     * Makes a persona again what it was at {@code version}: its definition then becomes a new version (history is
     * never rewritten). Checked like any change, so a version that names a tool or slug no longer available is refused
     * with the reason.
     */
    @Transactional
    Persona restore(UUID id, int version) {
        Persona old = versions(id).stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "Persona " + id
                        + " has no version " + version + "; GET /api/personas/" + id + "/versions lists them."))
                .persona();
        Persona persona = write(id, new Definition(old.slug(), old.name(), old.description(), old.instructions(), old.chain(),
                old.temperature(), old.maxTokens(), old.knowledgeBaseIds(), old.allowedTools(), old.membersAllowed()));
        audit.record(PersonaAudit.Action.RESTORED, persona, Map.of("restoredVersion", version));
        return persona;
    }

    private Persona write(UUID id, Definition definition) {
        Definition valid = validated(definition);
        int updated;
        try {
            updated = jdbc.sql("update personas set slug = :slug, name = :name, description = :description, "
                    + "instructions = :instructions, chain = :chain, temperature = :temperature, max_tokens = :maxTokens, "
                    + "knowledge_base_ids = :kbs, allowed_tools = :tools, members_allowed = :members, "
                    + "version = version + 1, updated_at = now() where id = :id and deleted_at is null")
                    .params(parameters(valid)).param("id", id).update();
        }
        catch (DuplicateKeyException ex) {
            throw slugTaken(valid.slug());
        }
        if (updated == 0) {
            throw notFound(id.toString());
        }
        Persona persona = find(id).orElseThrow();
        snapshot(persona);
        forgetTenant();
        return persona;
    }

    @Transactional
    void delete(UUID id) {
        Persona persona = find(id).orElseThrow(() -> notFound(id.toString()));
        if (jdbc.sql("update personas set deleted_at = now() where id = :id and deleted_at is null").param("id", id).update() == 0) {
            throw notFound(id.toString());
        }
        forgetTenant();
        audit.record(PersonaAudit.Action.DELETED, persona, Map.of());
    }

    /** The tools a persona may be allowed in the current tenant: built-in ones first, then those of tool sources. */
    List<Tool> tools() {
        return tools.available();
    }

    /**
     * Drops the tenant's cached look-ups — now, and again when the change commits, so that a look-up racing the
     * transaction cannot put back what it replaced.
     */
    private void forgetTenant() {
        UUID tenant = TenantContext.require();
        Runnable forget = () -> lookups.asMap().keySet().removeIf(key -> key.tenant().equals(tenant));
        forget.run();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget.run();
                }
            });
        }
    }

    @Transactional(readOnly = true)
    Optional<Persona> find(UUID id) {
        return jdbc.sql("select * from personas where id = :id and deleted_at is null").param("id", id)
                .query(Personas::persona).optional();
    }

    @Transactional(readOnly = true)
    List<Persona> all() {
        return jdbc.sql("select * from personas where deleted_at is null order by name, slug").query(Personas::persona).list();
    }

    /** Every version of a persona, newest first, as it was. */
    @Transactional(readOnly = true)
    List<PersonaVersion> versions(UUID id) {
        if (find(id).isEmpty()) {
            throw notFound(id.toString());
        }
        return jdbc.sql("select version, created_at, snapshot::text as snapshot from persona_versions where persona_id = :id "
                + "order by version desc")
                .param("id", id)
                .query((rs, n) -> new PersonaVersion(rs.getInt("version"), rs.getTimestamp("created_at").toInstant(),
                        json.readValue(rs.getString("snapshot"), Persona.class)))
                .list();
    }

    @Override
    public Optional<Persona> usable(String idOrSlug, boolean admin) {
        if (idOrSlug == null || idOrSlug.isBlank()) {
            return Optional.empty();
        }
        String key = idOrSlug.strip();
        Optional<Persona> persona = lookups.get(new Lookup(TenantContext.require(), key),
                lookup -> readOnly.execute(status -> lookUp(key)));
        return persona.filter(p -> admin || p.membersAllowed());
    }

    private Optional<Persona> lookUp(String idOrSlug) {
        Optional<UUID> id = uuid(idOrSlug);
        return id.isPresent() ? find(id.get())
                : jdbc.sql("select * from personas where slug = :slug and deleted_at is null").param("slug", idOrSlug)
                        .query(Personas::persona).optional();
    }

    @Override
    @Transactional(readOnly = true)
    public List<Persona> usable(boolean admin) {
        return all().stream().filter(p -> admin || p.membersAllowed()).toList();
    }

    private void snapshot(Persona persona) {
        jdbc.sql("insert into persona_versions (tenant_id, persona_id, version, snapshot) values (:tenant, :id, :version, "
                + "cast(:snapshot as jsonb))")
                .param("tenant", TenantContext.require()).param("id", persona.id()).param("version", persona.version())
                .param("snapshot", json.writeValueAsString(persona)).update();
    }

    private Definition validated(Definition d) {
        if (d == null) {
            throw invalid("The body must be a persona.");
        }
        String slug = d.slug() == null ? "" : d.slug().strip();
        if (!SLUG.matcher(slug).matches() || uuid(slug).isPresent()) {
            throw invalid("slug: 1-63 lower-case letters, digits and '-', starting with a letter or digit (and not an id).");
        }
        String name = d.name() == null ? "" : d.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw invalid("name: 1-100 characters.");
        }
        String description = d.description() == null ? "" : d.description().strip();
        if (description.length() > 2000) {
            throw invalid("description: at most 2000 characters.");
        }
        String instructions = d.instructions() == null ? "" : d.instructions();
        if (instructions.length() > 50_000) {
            throw invalid("instructions: at most 50000 characters.");
        }
        String chain = d.chain() == null || d.chain().isBlank() ? null : d.chain().strip();
        if (chain != null) {
            if (chain.length() > 2000) {
                throw invalid("chain: at most 2000 characters.");
            }
            try {
                chain = Chain.parse(chain).toString();
            }
            catch (IllegalArgumentException ex) {
                throw invalid("chain: " + ex.getMessage() + ".");
            }
        }
        if (d.temperature() != null && (d.temperature() < 0 || d.temperature() > 2 || d.temperature().isNaN())) {
            throw invalid("temperature: between 0 and 2.");
        }
        if (d.maxTokens() != null && (d.maxTokens() < 1 || d.maxTokens() > 200_000)) {
            throw invalid("maxTokens: between 1 and 200000.");
        }
        List<UUID> knowledgeBases = d.knowledgeBaseIds() == null ? List.of() : d.knowledgeBaseIds().stream().distinct().toList();
        if (knowledgeBases.stream().anyMatch(Objects::isNull)) {
            throw invalid("knowledgeBaseIds: ids only.");
        }
        List<String> tools = d.allowedTools() == null ? List.of() : d.allowedTools().stream().distinct().toList();
        if (tools.stream().anyMatch(tool -> tool == null || !TOOL.matcher(tool).matches())) {
            throw invalid("allowedTools: a tool is named by its name (search_knowledge) or, for an external MCP server's, "
                    + "<server>/<tool>: letters, digits and _ . : - on each side of the '/'.");
        }
        Set<String> unknown = this.tools.unknown(tools);
        if (!unknown.isEmpty()) {
            throw invalid("allowedTools: no tool is called " + String.join(", ", unknown) + ". The tools there are: "
                    + String.join(", ", this.tools.available().stream().map(Tool::name).toList())
                    + " (an external MCP server's are named <server>/<tool> once the server is registered).");
        }
        return new Definition(slug, name, description, instructions, chain, d.temperature(), d.maxTokens(), knowledgeBases,
                tools, d.membersAllowed() == null || d.membersAllowed());
    }

    private static Map<String, Object> parameters(Definition d) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("slug", d.slug());
        parameters.put("name", d.name());
        parameters.put("description", d.description());
        parameters.put("instructions", d.instructions());
        parameters.put("chain", d.chain());
        parameters.put("temperature", d.temperature());
        parameters.put("maxTokens", d.maxTokens());
        parameters.put("kbs", d.knowledgeBaseIds().toArray(UUID[]::new));
        parameters.put("tools", d.allowedTools().toArray(String[]::new));
        parameters.put("members", d.membersAllowed());
        return parameters;
    }

    private static Persona persona(ResultSet rs, int row) throws SQLException {
        Object temperature = rs.getObject("temperature");
        Object maxTokens = rs.getObject("max_tokens");
        return new Persona(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"), rs.getString("description"),
                rs.getString("instructions"), rs.getString("chain"), temperature == null ? null : ((Number) temperature).doubleValue(),
                maxTokens == null ? null : ((Number) maxTokens).intValue(), uuids(rs.getArray("knowledge_base_ids")),
                strings(rs.getArray("allowed_tools")), rs.getBoolean("members_allowed"), rs.getInt("version"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")));
    }

    private static List<UUID> uuids(Array array) throws SQLException {
        return Arrays.asList((UUID[]) array.getArray());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return text.length() == 36 ? Optional.of(UUID.fromString(text)) : Optional.empty();
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    private static SwitchboardException slugTaken(String slug) {
        return new SwitchboardException(HttpStatus.CONFLICT, "slug-taken", "Another persona of this tenant is called '" + slug
                + "'; choose another slug.");
    }

    static SwitchboardException notFound(String idOrSlug) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no persona '" + idOrSlug + "'.");
    }

    private static SwitchboardException invalid(String detail) {
        return new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", detail);
    }
}
