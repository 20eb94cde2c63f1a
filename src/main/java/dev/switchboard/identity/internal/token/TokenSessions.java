package dev.switchboard.identity.internal.token;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.identity.LoginThrottle;
import dev.switchboard.identity.internal.SecurityEvents;
import dev.switchboard.tenancy.TenantContext;

/**
 * Login, refresh and logout. Expected failures are values ({@link Outcome.Refused}), not exceptions, so
 * that a detected refresh-token reuse commits the revocation of its family before the caller is refused.
 */
@Service
public class TokenSessions {

    private static final Logger log = LoggerFactory.getLogger(TokenSessions.class);

    /** The result of a login or refresh. */
    public sealed interface Outcome {

        record Issued(UUID userId, UUID tenantId, TokenPair tokens) implements Outcome {
        }

        record Refused(String reason) implements Outcome {
        }

        record Throttled(LoginThrottle.Throttled why) implements Outcome {
        }
    }

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final PrincipalLookup principals;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecurityEvents events;
    private final ObjectProvider<LoginThrottle> throttle;
    /**
     * The hash an unknown e-mail's password is checked against: one Argon2 hash (with Bouncy Castle's signed jar checked
     * as it loads), made on a background thread once the application is ready, not during start-up, where it took CPU
     * from the start on small machines; the first unknown e-mail waits for it if it comes first.
     */
    private final CompletableFuture<String> timingDummyHash = new CompletableFuture<>();
    private final AtomicBoolean timingDummyHashStarted = new AtomicBoolean();

    TokenSessions(JdbcClient jdbc, PasswordEncoder passwords, AccessTokens accessTokens, RefreshTokens refreshTokens,
            PrincipalLookup principals, TransactionTemplate transactions, Clock clock, SecurityEvents events,
            ObjectProvider<LoginThrottle> throttle) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.principals = principals;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
        this.throttle = throttle;
    }

    @EventListener(ApplicationReadyEvent.class)
    void hashTimingDummy() {
        if (timingDummyHashStarted.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> {
                try {
                    timingDummyHash.complete(passwords.encode("timing-equaliser-" + UUID.randomUUID()));
                }
                catch (RuntimeException | Error failed) {
                    timingDummyHash.completeExceptionally(failed);
                }
            });
        }
    }

    private String timingDummyHash() {
        hashTimingDummy();
        return timingDummyHash.join();
    }

    private record Candidate(UUID userId, UUID tenantId, String passwordHash, String role, boolean disabled,
            boolean tenantActive) {
    }

    /**
     * Checks the password and issues tokens. An unknown e-mail costs the same password check as a wrong
     * password, and both are refused with the same reason.
     */
    public Outcome login(String email, String password) {
        LoginThrottle gate = throttle.getIfAvailable();
        Optional<LoginThrottle.Throttled> throttled = gate == null ? Optional.empty()
                : gate.check(email, SecurityEvents.clientAddress());
        if (throttled.isPresent()) {
            events.publish("auth.login_throttled", null, null, email, null, Map.of("reason", throttled.get().reason()));
            return new Outcome.Throttled(throttled.get());
        }
        Optional<Candidate> candidate = jdbc.sql("select * from switchboard_login_candidate(:email)")
                .param("email", email)
                .query((rs, n) -> new Candidate(rs.getObject("user_id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getString("password_hash"), rs.getString("role"), rs.getBoolean("disabled"),
                        rs.getBoolean("tenant_active")))
                .optional();
        boolean matches = passwords.matches(password, candidate.map(Candidate::passwordHash).orElseGet(this::timingDummyHash));
        if (candidate.isEmpty() || !matches || candidate.get().disabled() || !candidate.get().tenantActive()) {
            events.publish("auth.login_failed", candidate.map(Candidate::tenantId).orElse(null),
                    candidate.map(Candidate::userId).orElse(null), email, null,
                    Map.of("reason", candidate.isEmpty() ? "unknown e-mail" : !matches ? "wrong password" : "disabled"));
            return new Outcome.Refused("E-mail address or password is wrong.");
        }
        Candidate user = candidate.get();
        events.publish("auth.login", user.tenantId(), user.userId(), email, null, Map.of());
        String refresh = TenantContext.callAs(user.tenantId(), () -> transactions.execute(status -> refreshTokens.issue(user.tenantId(),
                user.userId(), UUID.randomUUID())));
        return new Outcome.Issued(user.userId(), user.tenantId(), TokenPair.bearer(
                accessTokens.issue(user.userId(), user.tenantId(), user.role()), refresh, accessTokens.ttlSeconds()));
    }

    /** Rotates a refresh token; a reused one revokes its whole family. */
    public Outcome refresh(String token) {
        Optional<UUID> tenant = refreshTokens.tenantOf(token);
        if (tenant.isEmpty()) {
            return new Outcome.Refused("The refresh token is not valid.");
        }
        return TenantContext.callAs(tenant.get(), () -> transactions.execute(status -> rotate(token)));
    }

    private Outcome rotate(String token) {
        RefreshTokens.Stored stored = refreshTokens.lock(token).orElse(null);
        if (stored == null || stored.revokedAt() != null) {
            return new Outcome.Refused("The refresh token is not valid.");
        }
        if (stored.usedAt() != null) {
            refreshTokens.revokeFamily(stored.familyId());
            log.warn("Refresh token reuse for user {}; revoked its token family", stored.userId());
            events.publish("auth.refresh_reuse", stored.tenantId(), stored.userId(), null, null,
                    Map.of("family", stored.familyId().toString()));
            return new Outcome.Refused("The refresh token was already used; sign in again.");
        }
        if (!stored.expiresAt().isAfter(clock.instant())) {
            return new Outcome.Refused("The refresh token has expired; sign in again.");
        }
        // A token minted before the user's sessions were ended (by a refresh that raced "sign out everywhere"
        // or a password change, and so escaped their revocation) is refused: both times are the database's.
        Optional<Principal> principal = principals.find(stored.userId()).filter(Principal::active)
                .filter(p -> !p.revokedBefore(stored.createdAt()));
        if (principal.isEmpty()) {
            refreshTokens.revokeFamily(stored.familyId());
            return new Outcome.Refused("The refresh token is not valid.");
        }
        refreshTokens.markUsed(stored.id());
        String next = refreshTokens.issue(stored.tenantId(), stored.userId(), stored.familyId());
        return new Outcome.Issued(stored.userId(), stored.tenantId(), TokenPair.bearer(
                accessTokens.issue(stored.userId(), stored.tenantId(), principal.get().role().name()), next,
                accessTokens.ttlSeconds()));
    }

    /** Revokes the family of a refresh token (logout from one device); unknown tokens are ignored. */
    public void logout(String refreshToken) {
        refreshTokens.tenantOf(refreshToken).ifPresent(tenant -> TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(
                status -> refreshTokens.lock(refreshToken).ifPresent(stored -> {
                    refreshTokens.revokeFamily(stored.familyId());
                    events.publish("auth.logout", stored.tenantId(), stored.userId(), null, null, Map.of());
                }))));
    }
}
