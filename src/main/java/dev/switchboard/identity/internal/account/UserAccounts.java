package dev.switchboard.identity.internal.account;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.identity.Role;
import dev.switchboard.identity.TenantUsers;
import dev.switchboard.identity.Tiers;
import dev.switchboard.identity.internal.CredentialsChanged;
import dev.switchboard.identity.internal.SecurityEvents;
import dev.switchboard.identity.internal.token.RefreshTokens;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;
import dev.switchboard.tenancy.TenantManagement;

/** Users of a tenant: created by its admins, by sign-up (with a new tenant) or by the start-up bootstrap. */
@Service
public class UserAccounts implements TenantUsers {

    private final UserRepository users;
    private final TenantManagement tenants;
    private final RefreshTokens refreshTokens;
    private final PasswordEncoder passwords;
    private final PasswordPolicy policy;
    private final TransactionTemplate transactions;
    private final SecurityEvents events;
    private final ApplicationEventPublisher publisher;
    private final Tiers tiers;

    UserAccounts(UserRepository users, TenantManagement tenants, RefreshTokens refreshTokens, PasswordEncoder passwords,
            PasswordPolicy policy, TransactionTemplate transactions, SecurityEvents events, ApplicationEventPublisher publisher,
            Tiers tiers) {
        this.publisher = publisher;
        this.tiers = tiers;
        this.users = users;
        this.tenants = tenants;
        this.refreshTokens = refreshTokens;
        this.passwords = passwords;
        this.policy = policy;
        this.transactions = transactions;
        this.events = events;
    }

    /** Adds a user to the current tenant; the password is hashed before the transaction starts. */
    public User create(String email, String password, Role role) {
        checkPassword(password);
        String hash = passwords.encode(password);
        return transactions.execute(status -> {
            User user = insert(TenantContext.require(), email, hash, role);
            events.byCaller("user.created", user.id(), Map.of("email", user.email(), "role", role.name()));
            return user;
        });
    }

    @Transactional(readOnly = true)
    public List<User> list() {
        return users.findAll();
    }

    /** A page of users by e-mail address; see {@link UserRepository#page}. */
    @Transactional(readOnly = true)
    public List<User> page(String afterEmail, String contains, int limit) {
        return users.page(afterEmail, contains, limit);
    }

    @Override
    @Transactional(readOnly = true)
    public Set<UUID> notInTenant(Collection<UUID> userIds) {
        Set<UUID> missing = new LinkedHashSet<>(userIds);
        if (!missing.isEmpty()) {
            users.existing(missing).forEach(missing::remove);
        }
        return missing;
    }

    @Transactional(readOnly = true)
    public Optional<User> find(UUID id) {
        return users.find(id);
    }

    /**
     * Changes role, metering tier and/or disabled (null: unchanged); a tenant always keeps one active admin.
     * Disabling ends the user's sessions.
     */
    @Transactional
    public User update(UUID id, Role role, String tier, Boolean disabled) {
        User current = users.find(id).orElseThrow(() -> notFound(id));
        Role newRole = role != null ? role : current.role();
        String newTier = tier != null ? tier : current.tier();
        boolean newDisabled = disabled != null ? disabled : current.disabled();
        if (tier != null && !tiers.exists(tier)) {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "unknown-tier", "There is no tier '" + tier
                    + "'; the tiers are " + tiers.names().stream().sorted().toList() + ".");
        }
        if (current.role() == Role.ADMIN && (newRole != Role.ADMIN || newDisabled)) {
            requireAnotherAdmin(id);
        }
        User updated = users.update(id, newRole, newTier, newDisabled).orElseThrow(() -> notFound(id));
        if (newDisabled && !current.disabled()) {
            endSessions(id);
        }
        if (newRole != current.role() || newDisabled != current.disabled() || !Objects.equals(newTier, current.tier())) {
            publisher.publishEvent(new CredentialsChanged(id));
            events.byCaller("user.updated", id, Map.of("role", current.role() + " -> " + newRole,
                    "tier", current.tier() + " -> " + newTier, "disabled", current.disabled() + " -> " + newDisabled));
        }
        return updated;
    }

    @Transactional
    public void delete(UUID id) {
        User current = users.find(id).orElseThrow(() -> notFound(id));
        if (current.role() == Role.ADMIN) {
            requireAnotherAdmin(id);
        }
        users.delete(id);
        publisher.publishEvent(new CredentialsChanged(id));
        events.byCaller("user.deleted", id, Map.of("email", current.email()));
    }

    /**
     * Ends every session of the user: refresh tokens revoked, access tokens refused from now on. The tokens are
     * revoked first: that waits for any refresh holding one of them, and the revocation time taken afterwards
     * is later than every token such a refresh minted, which {@code TokenSessions} then refuses.
     */
    @Transactional
    public void endSessions(UUID userId) {
        refreshTokens.revokeAllOf(userId);
        users.revokeSessions(userId);
        events.byCaller("auth.sessions_ended", userId, Map.of());
    }

    /** The outcome of a password change. */
    public enum PasswordChange { CHANGED, WRONG_PASSWORD }

    /**
     * Changes the user's own password after checking the current one and the policy, and ends every session
     * of the user (this one included): whoever knew the old password is signed out. Both hashes are computed outside
     * any transaction (no connection or row lock is held meanwhile); the change is written only if the stored hash is
     * still the one checked, so a password changed in between makes the current password wrong.
     */
    public PasswordChange changePassword(UUID userId, String currentPassword, String newPassword) {
        String hash = transactions.execute(status -> users.passwordHash(userId)).orElseThrow(() -> notFound(userId));
        if (!passwords.matches(currentPassword, hash)) {
            events.byCaller("auth.password_change_failed", userId, Map.of("reason", "wrong password"));
            return PasswordChange.WRONG_PASSWORD;
        }
        checkPassword(newPassword);
        String newHash = passwords.encode(newPassword);
        return transactions.execute(status -> {
            if (!users.passwordHash(userId).map(hash::equals).orElseThrow(() -> notFound(userId))) {
                events.byCaller("auth.password_change_failed", userId, Map.of("reason", "changed meanwhile"));
                return PasswordChange.WRONG_PASSWORD;
            }
            users.changePassword(userId, newHash);
            endSessions(userId);
            publisher.publishEvent(new CredentialsChanged(userId));
            events.byCaller("auth.password_changed", userId, Map.of());
            return PasswordChange.CHANGED;
        });
    }

    /** Creates a tenant and its first admin in one transaction (sign-up and bootstrap). */
    public User createTenantWithAdmin(String slug, String tenantName, String email, String password) {
        checkPassword(password);
        String hash = passwords.encode(password);
        UUID tenantId = UUID.randomUUID();
        User admin = TenantContext.callAs(tenantId, () -> transactions.execute(status -> {
            tenants.create(tenantId, slug, tenantName);
            return insert(tenantId, email, hash, Role.ADMIN);
        }));
        events.publish("tenant.created", tenantId, admin.id(), admin.email(), admin.id(), Map.of("tenant", slug));
        return admin;
    }

    /**
     * Creates a tenant and its admin only if no user exists at all, race-safe: concurrent calls are serialised in the
     * database (across replicas too), and all but the first find a user and create nothing.
     *
     * @return the admin, or empty when a user already existed
     */
    public Optional<User> createFirstAdmin(String slug, String email, String password) {
        checkPassword(password);
        String hash = passwords.encode(password);
        UUID tenantId = UUID.randomUUID();
        Optional<User> admin = TenantContext.callAs(tenantId, () -> transactions.execute(status -> {
            users.lockFirstRun();
            if (users.anyUserExists()) {
                return Optional.<User>empty();
            }
            tenants.create(tenantId, slug, slug);
            return Optional.of(insert(tenantId, email, hash, Role.ADMIN));
        }));
        admin.ifPresent(created -> events.publish("tenant.created", tenantId, created.id(), created.email(), created.id(),
                Map.of("tenant", slug, "via", "first-run")));
        return admin;
    }

    private User insert(UUID tenantId, String email, String passwordHash, Role role) {
        try {
            return users.insert(tenantId, email.strip(), passwordHash, role);
        }
        catch (DuplicateKeyException ex) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "email-taken",
                    "A user with this e-mail address already exists.");
        }
    }

    private void checkPassword(String password) {
        policy.problem(password).ifPresent(problem -> {
            throw new SwitchboardException(HttpStatus.BAD_REQUEST, "weak-password", "The password " + problem + ".");
        });
    }

    private void requireAnotherAdmin(UUID id) {
        if (users.countOtherActiveAdmins(id) == 0) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "last-admin",
                    "This is the tenant's last active admin; make another user admin first.");
        }
    }

    private static SwitchboardException notFound(UUID id) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no user " + id + ".");
    }
}
