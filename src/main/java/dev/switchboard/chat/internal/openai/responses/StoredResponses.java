package dev.switchboard.chat.internal.openai.responses;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.tenancy.TenantContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stored responses (table {@code chat_responses}, row-level security by tenant): each the response object a client was
 * given for a turn of one of its sessions. A response is its owner's alone; one of a deleted session, or deleted
 * itself, is gone for every purpose.
 */
@Repository
@Transactional
class StoredResponses {

    /**
     * A stored response.
     *
     * @param sessionExpiresAt when its session expires (or expired): it can be continued only before
     * @param latest whether it is the newest response of its session (only that one can be continued)
     */
    record Stored(String id, UUID sessionId, JsonNode body, Instant sessionExpiresAt, boolean latest) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    StoredResponses(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void save(String id, UUID userId, UUID sessionId, Object body, Instant createdAt) {
        jdbc.sql("insert into chat_responses (id, tenant_id, user_id, session_id, body, created_at) values (:id, :tenant, :user, "
                + ":session, cast(:body as jsonb), :created)").param("id", id).param("tenant", TenantContext.require())
                .param("user", userId).param("session", sessionId).param("body", json.writeValueAsString(body))
                .param("created", Timestamp.from(createdAt)).update();
    }

    /** The user's response, unless it or its session was deleted. */
    @Transactional(readOnly = true)
    Optional<Stored> find(String id, UUID userId) {
        return jdbc.sql("select r.id, r.session_id, r.body, s.expires_at, not exists (select 1 from chat_responses n where "
                + "n.session_id = r.session_id and n.created_at > r.created_at) as latest from chat_responses r join chat_sessions s "
                + "on s.id = r.session_id where r.id = :id and r.user_id = :user and r.deleted_at is null and s.deleted_at is null")
                .param("id", id).param("user", userId)
                .query((rs, row) -> new Stored(rs.getString("id"), rs.getObject("session_id", UUID.class),
                        json.readTree(rs.getString("body")), rs.getTimestamp("expires_at").toInstant(), rs.getBoolean("latest")))
                .optional();
    }

    /** Hides the user's response from it; whether there was one to hide. */
    boolean delete(String id, UUID userId, Instant now) {
        return jdbc.sql("update chat_responses set deleted_at = :now where id = :id and user_id = :user and deleted_at is null")
                .param("now", Timestamp.from(now)).param("id", id).param("user", userId).update() == 1;
    }
}
