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

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.identity.ApiKeyOwners;
import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Role;
import dev.switchboard.identity.Scopes;
import dev.switchboard.identity.Tiers;
import dev.switchboard.identity.internal.CredentialsChanged;
import dev.switchboard.identity.internal.IdentityProperties;
import dev.switchboard.identity.internal.SecurityEvents;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import dev.switchboard.tenancy.TenantContext;

/**
 * API keys: created by users for themselves (at most {@code switchboard.identity.max-keys-per-user} live ones),
 * listed without their secret, revoked at once. Only admins choose a key's tier; a member's keys have the
 * member's tier. Authentication looks the key up on every request, so a revocation holds on every replica
 * immediately.
 */
@Service
public class ApiKeys implements ApiKeyOwners {

    /**
     * Keys as shown, with the tier they are metered by: an admin's key's own, else the owner's, else the default
     * (as {@code switchboard_api_key} resolves it for authentication).
     */
    private static final String KEYS = "select k.id, k.user_id, k.name, k.prefix, k.scopes, k.expires_at, k.created_at, "
            + "k.revoked_at, coalesce(case when u.role = 'ADMIN' then coalesce(k.tier, u.tier) else u.tier end, :default) "
            + "as tier from api_keys k join users u on u.id = k.user_id";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SecurityEvents events;
    private final ApiKeyCache cache;
    private final ApplicationEventPublisher publisher;
    private final Tiers tiers;
    private final IdentityProperties properties;
    private final Traces traces;

    ApiKeys(JdbcClient jdbc, Clock clock, SecurityEvents events, ApiKeyCache cache, ApplicationEventPublisher publisher,
            Tiers tiers, IdentityProperties properties, Traces traces) {
        this.traces = traces;
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
        this.cache = cache;
        this.publisher = publisher;
        this.tiers = tiers;
        this.properties = properties;
    }

    /** A new key and its secret, which is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    /**
     * A key for the creator. Admins may not mint keys owned by someone else: a key acts as its owner, and one
     * its owner never asked for is a credential nobody answers for.
     */
    @Transactional
    public Created create(Caller creator, UUID ownerId, String name, String tier, List<String> scopes, Instant expiresAt) {
        UUID owner = creator.userId();
        if (ownerId != null && !ownerId.equals(owner)) {
            throw new SwitchboardException(HttpStatus.FORBIDDEN, "keys-for-others", "Keys are created by their owner: "
                    + "sign in as that user, or leave userId out to create a key of your own.");
        }
        checkTier(creator, tier);
        // Locks the owner's row: concurrent creations queue here, so the count below cannot be outrun.
        Role ownerRole = jdbc.sql("select role from users where id = :id for update").param("id", owner).query(String.class)
                .optional().map(Role::valueOf)
                .orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no user " + owner + "."));
        List<String> granted = scopes == null || scopes.isEmpty() ? Scopes.KEY_DEFAULT : List.copyOf(new LinkedHashSet<>(scopes));
        List<String> unknown = granted.stream().filter(scope -> !Scopes.ALL.contains(scope)).toList();
        if (!unknown.isEmpty()) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-scope", "Unknown scope(s) " + unknown
                    + "; a key may carry " + Scopes.ALL.stream().sorted().toList() + ".");
        }
        if (granted.contains(Scopes.ADMIN) && ownerRole != Role.ADMIN) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-scope",
                    "The admin scope is only for keys of admins.");
        }
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request", "expiresAt must be in the future.");
        }
        int live = jdbc.sql("select count(*) from api_keys where user_id = :user and revoked_at is null "
                + "and (expires_at is null or expires_at > now())")
                .param("user", owner).query(Integer.class).single();
        if (live >= properties.maxKeysPerUser()) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "too-many-keys", "You have " + live + " live API keys, "
                    + "the most a user may have (switchboard.identity.max-keys-per-user); revoke one you no longer use.");
        }
        String secret = ApiKeySecrets.generate();
        UUID id = jdbc.sql("insert into api_keys (tenant_id, user_id, name, prefix, secret_hash, tier, scopes, expires_at) "
                + "values (:tenant, :user, :name, :prefix, :hash, :tier, :scopes, :expires) returning id")
                .param("tenant", TenantContext.require()).param("user", owner).param("name", name.strip())
                .param("prefix", ApiKeySecrets.lookupPrefix(secret)).param("hash", ApiKeySecrets.hash(secret))
                .param("tier", tier).param("scopes", granted.toArray(String[]::new))
                .param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .query(UUID.class).single();
        ApiKey key = jdbc.sql(KEYS + " where k.id = :id").param("default", tiers.defaultTier()).param("id", id)
                .query(ApiKeys::key).single();
        events.byCaller("key.created", key.id(), Map.of("owner", owner.toString(), "name", key.name(),
                "scopes", key.scopes(), "prefix", key.prefix()));
        return new Created(key, secret);
    }

    /** Only admins choose a key's tier (a member's keys have the member's), and only a tier that exists. */
    private void checkTier(Caller creator, String tier) {
        if (tier == null) {
            return;
        }
        if (!creator.actsAsAdmin()) {
            throw new SwitchboardException(HttpStatus.FORBIDDEN, "tier-not-allowed", "Only admins choose a key's tier; "
                    + "your keys have your tier. Leave tier out, or ask an admin to change your tier.");
        }
        if (!tiers.exists(tier)) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-tier", "There is no tier '" + tier
                    + "'; the tiers are " + tiers.names().stream().sorted().toList() + ".");
        }
    }

    /** The caller's keys, or every key of the tenant for an admin asking for all. */
    @Transactional(readOnly = true)
    public List<ApiKey> list(Caller caller, boolean all) {
        if (all && caller.actsAsAdmin()) {
            return jdbc.sql(KEYS + " order by k.created_at desc").param("default", tiers.defaultTier())
                    .query(ApiKeys::key).list();
        }
        return jdbc.sql(KEYS + " where k.user_id = :user order by k.created_at desc").param("default", tiers.defaultTier())
                .param("user", caller.userId()).query(ApiKeys::key).list();
    }

    /** Revokes a key of the caller's (admins: of anyone in the tenant); 404 for anything else. */
    @Transactional
    public void revoke(Caller caller, UUID id) {
        int revoked = jdbc.sql("update api_keys set revoked_at = coalesce(revoked_at, now()) where id = :id "
                + "and (:admin or user_id = :user)")
                .param("id", id).param("admin", caller.actsAsAdmin()).param("user", caller.userId()).update();
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
        try (TraceSpan span = traces.start("authenticate api_key")) {
            byte[] hash = ApiKeySecrets.hash(presented);
            Optional<Caller> caller = cache.get(hash, () -> load(presented, hash));
            span.tag(TraceAttributes.AUTH_ACCEPTED, caller.isPresent());
            caller.ifPresent(c -> span.tag(TraceAttributes.TENANT, c.tenantId().toString()));
            return caller;
        }
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
                            rs.getString("tier"), rs.getString("user_tier")), expiresAt)) : Optional.<ApiKeyCache.Entry>empty();
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
