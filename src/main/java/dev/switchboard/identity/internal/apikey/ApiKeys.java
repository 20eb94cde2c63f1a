package dev.switchboard.identity.internal.apikey;

import java.security.MessageDigest;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.switchboard.identity.ApiKeyOwners;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Role;
import dev.switchboard.identity.internal.CredentialsChanged;
import dev.switchboard.identity.internal.SecurityEvents;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: created for a user (members for themselves, admins for anyone in the tenant), listed without
 * their secret, revoked at once. Authentication looks the key up on every request, so a revocation holds on
 * every replica immediately.
 */
@Service
public class ApiKeys implements ApiKeyOwners {

    /** Every scope a key can carry. */
    public static final Set<String> SCOPES = Set.of("chat", "knowledge:read", "knowledge:write", "sql", "mcp", "admin");

    /** What a key may do when its creator names no scopes: everything but administration. */
    static final List<String> DEFAULT_SCOPES = List.of("chat", "knowledge:read", "knowledge:write", "sql", "mcp");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final ApiKeyCache cache;
    private final ApplicationEventPublisher publisher;

    ApiKeys(JdbcClient jdbc, Clock clock, SecurityEvents events, ApiKeyCache cache, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.cache = cache;
        this.publisher = publisher;
    }

    /** A new key and its secret, which is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    @Transactional
    public Created create(Caller creator, UUID ownerId, String name, String tier, List<String> scopes, Instant expiresAt) {
        UUID owner = ownerId != null ? ownerId : creator.userId();
        if (!owner.equals(creator.userId()) && !creator.isAdmin()) {
            throw new SwitchboardException(HttpStatus.FORBIDDEN, "forbidden", "Only admins create keys for other users.");
        }
        Role ownerRole = jdbc.sql("select role from users where id = :id").param("id", owner).query(String.class).optional()
                .map(Role::valueOf)
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no user " + owner + "."));
        List<String> granted = scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : List.copyOf(new LinkedHashSet<>(scopes));
        List<String> unknown = granted.stream().filter(scope -> !SCOPES.contains(scope)).toList();
        if (!unknown.isEmpty()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-scope", "Unknown scope(s) " + unknown
                    + "; a key may carry " + SCOPES.stream().sorted().toList() + ".");
        }
        if (granted.contains("admin") && ownerRole != Role.ADMIN) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-scope",
                    "The admin scope is only for keys of admins.");
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "expiresAt must be in the future.");
        }
        String secret = ApiKeySecrets.generate();
        ApiKey key = jdbc.sql("insert into api_keys (tenant_id, user_id, name, prefix, secret_hash, tier, scopes, expires_at) "
                        + "values (:tenant, :user, :name, :prefix, :hash, :tier, :scopes, :expires) returning *")
                .param("tenant", TenantContext.require()).param("user", owner).param("name", name.strip())
                .param("prefix", ApiKeySecrets.lookupPrefix(secret)).param("hash", ApiKeySecrets.hash(secret))
                .param("tier", tier).param("scopes", granted.toArray(String[]::new))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .query(ApiKeys::key).single();
        events.byCaller("key.created", key.id(), Map.of("owner", owner.toString(), "name", key.name(),
                "scopes", key.scopes(), "prefix", key.prefix()));
        return new Created(key, secret);
    }

    /** The caller's keys, or every key of the tenant for an admin asking for all. */
    @Transactional(readOnly = true)
    public List<ApiKey> list(Caller caller, boolean all) {
        if (all && caller.isAdmin()) {
            return jdbc.sql("select * from api_keys order by created_at desc").query(ApiKeys::key).list();
        }
        return jdbc.sql("select * from api_keys where user_id = :user order by created_at desc")
                .param("user", caller.userId()).query(ApiKeys::key).list();
    }

    /** Revokes a key of the caller's (admins: of anyone in the tenant); 404 for anything else. */
    @Transactional
    public void revoke(Caller caller, UUID id) {
        int revoked = jdbc.sql("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = :id "
                        + "and (:admin or user_id = :user)")
                .param("id", id).param("admin", caller.isAdmin()).param("user", caller.userId()).update();
        if (revoked == 0) {
            throw new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no API key " + id + ".");
        }
        events.byCaller("key.revoked", id, Map.of());
        publisher.publishEvent(new CredentialsChanged(id));
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<UUID> ownerOf(UUID apiKeyId) {
        return jdbc.sql("select user_id from api_keys where id = :id").param("id", apiKeyId).query(UUID.class).optional();
    }

    /** The caller a presented key stands for, if it is genuine, active and its owner and tenant are too. */
    public Optional<Caller> authenticate(String presented) {
        if (!ApiKeySecrets.wellFormed(presented)) {
            return Optional.empty();
        }
        byte[] hash = ApiKeySecrets.hash(presented);
        return cache.get(hash, () -> load(presented, hash));
    }

    private Optional<ApiKeyCache.Entry> load(String presented, byte[] hash) {
        Instant now = clock.instant();
        return jdbc.sql("select * from switchboard_api_key(:prefix)").param("prefix", ApiKeySecrets.lookupPrefix(presented))
                .query((rs, n) -> {
                    boolean genuine = MessageDigest.isEqual(hash, rs.getBytes("secret_hash"));
                    Instant expiresAt = instant(rs.getTimestamp("expires_at"));
                    boolean active = rs.getTimestamp("revoked_at") == null && !rs.getBoolean("disabled")
                            && rs.getBoolean("tenant_active") && (expiresAt == null || expiresAt.isAfter(now));
                    return genuine && active ? Optional.of(new ApiKeyCache.Entry(new Caller(rs.getObject("user_id", UUID.class),
                            rs.getObject("tenant_id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")),
                            Set.copyOf(strings(rs.getArray("scopes"))), rs.getObject("key_id", UUID.class),
                            rs.getString("tier")), expiresAt)) : Optional.<ApiKeyCache.Entry>empty();
                })
                .optional()
                .flatMap(entry -> entry);
    }

    private static ApiKey key(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("name"),
                ApiKeySecrets.PREFIX + rs.getString("prefix"), rs.getString("tier"), strings(rs.getArray("scopes")),
                instant(rs.getTimestamp("expires_at")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
