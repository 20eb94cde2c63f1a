package dev.switchboard.chat.internal.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.llm.Attempt;
import dev.switchboard.tenancy.TenantContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions and their append-only messages, in the current tenant (row-level security). Messages are only
 * ever inserted; a turn's messages are inserted together, numbered after the session row is locked, so
 * concurrent turns of one session queue up instead of interleaving.
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class ChatHistory {

    private static final TypeReference<List<MessageCitation>> CITATIONS = new TypeReference<>() {
    };
    private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ChatHistory(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A message to append (ids, numbers and times are the store's). */
    public record NewMessage(String role, String content, String status, String error, Integer personaVersion, String target,
            Boolean failover, Integer tokensIn, Integer tokensOut, Integer latencyMs, List<MessageCitation> citations,
            List<Attempt> attempts, ChatMessage.ToolPart tool) {

        public NewMessage(String role, String content, String status, String error, Integer personaVersion, String target,
                Boolean failover, Integer tokensIn, Integer tokensOut, Integer latencyMs, List<MessageCitation> citations,
                List<Attempt> attempts) {
            this(role, content, status, error, personaVersion, target, failover, tokensIn, tokensOut, latencyMs, citations, attempts,
                    null);
        }

        public static NewMessage user(String content, String status, String error, int personaVersion) {
            return new NewMessage(ChatMessage.USER, content, status, error, personaVersion, null, null, null, null, null,
                    List.of(), null);
        }

        /** A tool call ({@code role} {@code tool_call}) or its result ({@code tool_result}) of a turn. */
        public static NewMessage tool(String role, String content, int personaVersion, ChatMessage.ToolPart tool) {
            return new NewMessage(role, content, ChatMessage.COMPLETE, null, personaVersion, null, null, null, null, null,
                    List.of(), null, tool);
        }
    }

    public ChatSession create(UUID userId, UUID personaId, String title, Instant now, Instant expiresAt) {
        return jdbc.sql("insert into chat_sessions (tenant_id, user_id, persona_id, title, created_at, last_activity_at, expires_at) "
                + "values (:tenant, :user, :persona, :title, :now, :now, :expires) returning *")
                .param("tenant", TenantContext.require()).param("user", userId).param("persona", personaId)
                .param("title", title).param("now", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt))
                .query(ChatHistory::session).single();
    }

    /** The user's session, if it exists, is theirs and was not deleted. */
    public Optional<ChatSession> session(UUID id, UUID userId) {
        return jdbc.sql("select * from chat_sessions where id = :id and user_id = :user and deleted_at is null")
                .param("id", id).param("user", userId).query(ChatHistory::session).optional();
    }

    /** The user's sessions, most recently active first; {@code before} is the last one of the previous page. */
    public List<ChatSession> sessions(UUID userId, Instant beforeActivity, UUID beforeId, int limit) {
        return jdbc.sql("select * from chat_sessions where user_id = :user and deleted_at is null "
                + "and (cast(:at as timestamptz) is null or (last_activity_at, id) < (:at, :id)) "
                + "order by last_activity_at desc, id desc limit :limit")
                .param("user", userId).param("at", beforeActivity == null ? null : Timestamp.from(beforeActivity))
                .param("id", beforeId == null ? new UUID(0, 0) : beforeId).param("limit", limit)
                .query(ChatHistory::session).list();
    }

    /**
     * The user's sessions whose title or a user's or assistant's message has every word of {@code words} (a full-text
     * query of the 'simple' configuration, as {@link SessionSearch} builds it), ordered and paged like
     * {@link #sessions}. Both tests use the V22 expression indexes.
     */
    public List<ChatSession> search(UUID userId, String words, Instant beforeActivity, UUID beforeId, int limit) {
        return jdbc.sql("select s.* from chat_sessions s, to_tsquery('simple', :words) query where s.user_id = :user "
                + "and s.deleted_at is null "
                + "and (cast(:at as timestamptz) is null or (s.last_activity_at, s.id) < (:at, :id)) "
                + "and (to_tsvector('simple', s.title) @@ query or s.id in (select m.session_id from chat_messages m "
                + "where m.role in ('user', 'assistant') and to_tsvector('simple', m.content) @@ query)) "
                + "order by s.last_activity_at desc, s.id desc limit :limit")
                .param("words", words).param("user", userId)
                .param("at", beforeActivity == null ? null : Timestamp.from(beforeActivity))
                .param("id", beforeId == null ? new UUID(0, 0) : beforeId).param("limit", limit)
                .query(ChatHistory::session).list();
    }

    /** Appends a turn's messages after every earlier one; bumps the session's activity and expiry. */
    public List<ChatMessage> append(UUID sessionId, List<NewMessage> messages, Instant now, Instant expiresAt) {
        // Lock the session first, then read the last number in a statement of its own: under READ COMMITTED a
        // statement that waited for the lock would still see the messages as they were when it started.
        jdbc.sql("select id from chat_sessions where id = :id for update").param("id", sessionId).query(UUID.class).single();
        long last = jdbc.sql("select coalesce(max(seq), 0) from chat_messages where session_id = :id")
                .param("id", sessionId).query(Long.class).single();
        List<ChatMessage> stored = new ArrayList<>();
        for (NewMessage message : messages) {
            stored.add(jdbc.sql("insert into chat_messages (tenant_id, session_id, seq, role, content, status, error, persona_version, "
                    + "target, failover, tokens_in, tokens_out, latency_ms, citations, attempts, created_at, tool_name, tool_call_id, "
                    + "tool_error, tool_signature) values (:tenant, "
                    + ":session, :seq, :role, :content, :status, :error, :version, :target, :failover, :in, :out, :latency, "
                    + "cast(:citations as jsonb), cast(:attempts as jsonb), :now, :toolName, :toolCallId, :toolError, "
                    + ":toolSignature) returning *")
                    .param("tenant", TenantContext.require()).param("session", sessionId).param("seq", ++last)
                    .param("role", message.role()).param("content", message.content()).param("status", message.status())
                    .param("error", message.error()).param("version", message.personaVersion()).param("target", message.target())
                    .param("failover", message.failover()).param("in", message.tokensIn()).param("out", message.tokensOut())
                    .param("latency", message.latencyMs())
                    .param("citations", json.writeValueAsString(message.citations() == null ? List.of() : message.citations()))
                    .param("attempts", message.attempts() == null ? null : json.writeValueAsString(message.attempts()))
                    .param("now", Timestamp.from(now))
                    .param("toolName", message.tool() == null ? null : message.tool().name())
                    .param("toolCallId", message.tool() == null ? null : message.tool().callId())
                    .param("toolError", message.tool() == null ? null : message.tool().error())
                    .param("toolSignature", message.tool() == null ? null : message.tool().signature())
                    .query(this::message).single());
        }
        jdbc.sql("update chat_sessions set last_activity_at = :now, expires_at = :expires where id = :id")
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt)).param("id", sessionId).update();
        return stored;
    }

    /** The newest {@code limit} messages, oldest first. */
    public List<ChatMessage> recent(UUID sessionId, int limit) {
        List<ChatMessage> newestFirst = jdbc.sql("select * from chat_messages where session_id = :id order by seq desc limit :limit")
                .param("id", sessionId).param("limit", limit).query(this::message).list();
        List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** Messages numbered from {@code fromSeq} to {@code toSeq}, oldest first. */
    public List<ChatMessage> range(UUID sessionId, long fromSeq, long toSeq) {
        return jdbc.sql("select * from chat_messages where session_id = :id and seq between :from and :to order by seq")
                .param("id", sessionId).param("from", fromSeq).param("to", toSeq).query(this::message).list();
    }

    /** A page of messages, oldest first, after message number {@code afterSeq}. */
    public List<ChatMessage> page(UUID sessionId, long afterSeq, int limit) {
        return jdbc.sql("select * from chat_messages where session_id = :id and seq > :after order by seq limit :limit")
                .param("id", sessionId).param("after", afterSeq).param("limit", limit).query(this::message).list();
    }

    /**
     * A page of the user's session in one statement: the ownership check and the page together (GET
     * /api/sessions/{id}/messages, read far more often than written). Empty when the session is not the user's, is
     * deleted or does not exist; an empty list when it is theirs and has nothing after {@code afterSeq}.
     */
    public Optional<List<ChatMessage>> ownPage(UUID sessionId, UUID userId, long afterSeq, int limit) {
        List<Optional<ChatMessage>> rows = jdbc.sql("select s.id as owned_session, m.* from chat_sessions s left join lateral "
                + "(select * from chat_messages where session_id = s.id and seq > :after order by seq limit :limit) m on true "
                + "where s.id = :id and s.user_id = :user and s.deleted_at is null")
                .param("id", sessionId).param("user", userId).param("after", afterSeq).param("limit", limit)
                .query((rs, row) -> rs.getObject("id") == null ? Optional.<ChatMessage>empty() : Optional.of(message(rs, row)))
                .list();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.stream().flatMap(Optional::stream).toList());
    }

    public void rename(UUID sessionId, String title) {
        jdbc.sql("update chat_sessions set title = :title where id = :id").param("title", title).param("id", sessionId).update();
    }

    public void titleIfEmpty(UUID sessionId, String title) {
        jdbc.sql("update chat_sessions set title = :title where id = :id and title = ''").param("title", title)
                .param("id", sessionId).update();
    }

    /** Marks the session deleted; the purge job removes it and its messages. */
    public void delete(UUID sessionId) {
        jdbc.sql("update chat_sessions set deleted_at = now() where id = :id").param("id", sessionId).update();
    }

    public void summarize(UUID sessionId, String summary, long through) {
        jdbc.sql("update chat_sessions set summary = :summary, summary_through = :through where id = :id and summary_through < :through")
                .param("summary", summary).param("through", through).param("id", sessionId).update();
    }

    private static ChatSession session(ResultSet rs, int row) throws SQLException {
        return new ChatSession(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                rs.getObject("persona_id", UUID.class), rs.getString("title"), instant(rs, "created_at"),
                instant(rs, "last_activity_at"), instant(rs, "expires_at"), rs.getString("summary"), rs.getLong("summary_through"));
    }

    private ChatMessage message(ResultSet rs, int row) throws SQLException {
        String attempts = rs.getString("attempts");
        String toolName = rs.getString("tool_name");
        ChatMessage.ToolPart tool = toolName == null ? null : new ChatMessage.ToolPart(toolName, rs.getString("tool_call_id"),
                (Boolean) rs.getObject("tool_error"), rs.getString("tool_signature"));
        return new ChatMessage(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("role"), rs.getString("content"),
                rs.getString("status"), rs.getString("error"), integer(rs, "persona_version"), rs.getString("target"),
                (Boolean) rs.getObject("failover"), integer(rs, "tokens_in"), integer(rs, "tokens_out"), integer(rs, "latency_ms"),
                json.readValue(rs.getString("citations"), CITATIONS), attempts == null ? null : json.readValue(attempts, ATTEMPTS),
                instant(rs, "created_at"), tool);
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : ((Number) value).intValue();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
