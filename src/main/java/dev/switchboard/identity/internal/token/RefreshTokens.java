package dev.switchboard.identity.internal.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.identity.internal.IdentityProperties;

/**
 * Opaque, single-use refresh tokens: {@code sbr_} + 32 random bytes, stored only as their SHA-256. Each use
 * replaces the token with a new one of the same family; presenting a used token again means it was stolen
 * (or replayed), and the whole family — the newest token included — is revoked.
 */
@Component
public class RefreshTokens {

    static final String PREFIX = "sbr_";

    private final JdbcClient jdbc;
    private final IdentityProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    RefreshTokens(JdbcClient jdbc, IdentityProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** A stored token row as the rotation needs it. */
    record Stored(UUID id, UUID tenantId, UUID userId, UUID familyId, Instant createdAt, Instant expiresAt, Instant usedAt,
            Instant revokedAt) {
    }

    /** The tenant a presented token belongs to, found across tenants; empty for an unknown token. */
    public Optional<UUID> tenantOf(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("select switchboard_refresh_token_tenant(:hash)").param("hash", hash(token))
                .query(UUID.class).optional();
    }

    /** Issues a token in a new family (login) or an existing one (rotation). */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issue(UUID tenantId, UUID userId, UUID familyId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("insert into refresh_tokens (tenant_id, user_id, family_id, token_hash, expires_at) "
                + "values (:tenant, :user, :family, :hash, :expires)")
                .param("tenant", tenantId).param("user", userId).param("family", familyId).param("hash", hash(token))
                .param("expires", Timestamp.from(clock.instant().plus(properties.refreshTokenTtl())))
                .update();
        return token;
    }

    /** Locks and returns the presented token's row in the current tenant. */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Stored> lock(String token) {
        return jdbc.sql("select id, tenant_id, user_id, family_id, created_at, expires_at, used_at, revoked_at from refresh_tokens "
                + "where token_hash = :hash for update")
                .param("hash", hash(token))
                .query((rs, n) -> new Stored(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getObject("user_id", UUID.class), rs.getObject("family_id", UUID.class),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(), instant(rs.getTimestamp(
                                "used_at")),
                        instant(rs.getTimestamp("revoked_at"))))
                .optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void markUsed(UUID id) {
        jdbc.sql("update refresh_tokens set used_at = now() where id = :id").param("id", id).update();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void revokeFamily(UUID familyId) {
        jdbc.sql("update refresh_tokens set revoked_at = now() where family_id = :family and revoked_at is null")
                .param("family", familyId).update();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void revokeAllOf(UUID userId) {
        jdbc.sql("update refresh_tokens set revoked_at = now() where user_id = :user and revoked_at is null")
                .param("user", userId).update();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
