package dev.switchboard.identity.internal.account;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.identity.Role;

/**
 * Users of the current tenant. Every method needs a transaction (so that row-level security knows the
 * tenant); other tenants' users do not exist here.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
class UserRepository {

    private static final String COLUMNS = "id, tenant_id, email, role, tier, disabled, created_at";

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    User insert(UUID tenantId, String email, String passwordHash, Role role) {
        return jdbc.sql("insert into users (tenant_id, email, password_hash, role) values (:tenant, :email, :hash, :role) "
                + "returning " + COLUMNS)
                .param("tenant", tenantId).param("email", email).param("hash", passwordHash).param("role", role.name())
                .query(User.class).single();
    }

    Optional<User> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from users where id = :id").param("id", id).query(User.class).optional();
    }

    /** Which of {@code ids} are users here (row-level security hides other tenants' users). */
    List<UUID> existing(Collection<UUID> ids) {
        return jdbc.sql("select id from users where id = any(:ids)").param("ids", ids.toArray(UUID[]::new)).query(UUID.class).list();
    }

    List<User> findAll() {
        return jdbc.sql("select " + COLUMNS + " from users order by created_at, email").query(User.class).list();
    }

    /**
     * Up to {@code limit} users by e-mail address (lower-cased, in byte order: the same on every database whatever its
     * collation) after {@code afterEmail} (null: from the start), whose address contains {@code contains} (null: all).
     */
    List<User> page(String afterEmail, String contains, int limit) {
        return jdbc.sql("select " + COLUMNS + " from users where (cast(:after as text) is null or lower(email) collate \"C\" > :after) "
                + "and (cast(:contains as text) is null or strpos(lower(email), :contains) > 0) order by lower(email) collate \"C\" limit :limit")
                .param("after", afterEmail == null ? null : afterEmail.toLowerCase(Locale.ROOT))
                .param("contains", contains == null ? null : contains.toLowerCase(Locale.ROOT))
                .param("limit", limit).query(User.class).list();
    }

    Optional<User> update(UUID id, Role role, String tier, boolean disabled) {
        return jdbc.sql("update users set role = :role, tier = :tier, disabled = :disabled, updated_at = now() where id = :id "
                + "returning " + COLUMNS)
                .param("id", id).param("role", role.name()).param("tier", tier).param("disabled", disabled)
                .query(User.class).optional();
    }

    boolean delete(UUID id) {
        return jdbc.sql("delete from users where id = :id").param("id", id).update() > 0;
    }

    /**
     * Serialises the creation of the first admin: a transaction-scoped advisory lock, so that of two first-run
     * requests at once the second waits and then sees the first's user. The key spells "SBfirst!" in ASCII.
     */
    void lockFirstRun() {
        jdbc.sql("select pg_advisory_xact_lock(:key)").param("key", 0x5342_6669_7273_7421L).query(Object.class).single();
    }

    /** Whether any user exists in any tenant (through a SECURITY DEFINER function: row-level security hides them). */
    boolean anyUserExists() {
        return Boolean.TRUE.equals(jdbc.sql("select switchboard_any_user_exists()").query(Boolean.class).single());
    }

    /** Active admins other than the given user: the tenant must keep at least one. */
    int countOtherActiveAdmins(UUID exceptUserId) {
        return jdbc.sql("select count(*) from users where role = 'ADMIN' and not disabled and id <> :id")
                .param("id", exceptUserId).query(Integer.class).single();
    }

    /**
     * Marks every credential issued until now as revoked. The wall clock, not the transaction's start: a
     * refresh that committed while this transaction waited for its token's lock minted its token before now.
     */
    void revokeSessions(UUID userId) {
        jdbc.sql("update users set sessions_revoked_at = clock_timestamp() where id = :id").param("id", userId).update();
    }

    Optional<String> passwordHash(UUID id) {
        return jdbc.sql("select password_hash from users where id = :id for update").param("id", id).query(String.class)
                .optional();
    }

    void changePassword(UUID id, String passwordHash) {
        jdbc.sql("update users set password_hash = :hash, updated_at = now() where id = :id")
                .param("id", id).param("hash", passwordHash).update();
    }
}
