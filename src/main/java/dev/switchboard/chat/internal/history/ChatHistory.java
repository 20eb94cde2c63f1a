package dev.switchboard.chat.internal.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.EmptyResultDataAccessException;
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

    /**
     * Appends a turn's messages after every earlier one; bumps the session's activity and expiry. Two statements whatever
     * the number of messages: the session's update, which locks its row, then one insert of every message numbered after
     * the last one. Under READ COMMITTED the insert, a statement of its own started once the lock is held, sees every
     * message a concurrent turn of the session committed before it; the stored messages are built from what was inserted
     * (ids and numbers are the store's) instead of being read back.
     */
    public List<ChatMessage> append(UUID sessionId, List<NewMessage> messages, Instant now, Instant expiresAt) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        int updated = jdbc.sql("update chat_sessions set last_activity_at = :now, expires_at = :expires where id = :id")
                .param("now", Timestamp.from(at)).param("expires", Timestamp.from(expiresAt)).param("id", sessionId).update();
        if (updated != 1) {
            throw new EmptyResultDataAccessException("No session " + sessionId, 1);
        }
        if (messages.isEmpty()) {
            return List.of();
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i + 1)
                    .append((", cast(:role{i} as text), cast(:content{i} as text), cast(:status{i} as text), cast(:error{i} as text), "
                            + "cast(:version{i} as integer), cast(:target{i} as text), cast(:failover{i} as boolean), "
                            + "cast(:in{i} as integer), cast(:out{i} as integer), cast(:latency{i} as integer), "
                            + "cast(:citations{i} as jsonb), cast(:attempts{i} as jsonb), cast(:toolName{i} as text), "
                            + "cast(:toolCallId{i} as text), cast(:toolError{i} as boolean), cast(:toolSignature{i} as text))").replace(
                                    "{i}", String.valueOf(i)));
        }
        JdbcClient.StatementSpec insert = jdbc.sql("insert into chat_messages (tenant_id, session_id, seq, role, content, status, error, "
                + "persona_version, target, failover, tokens_in, tokens_out, latency_ms, citations, attempts, created_at, tool_name, "
                + "tool_call_id, tool_error, tool_signature) select :tenant, :session, last.seq + v.n, v.role, v.content, v.status, "
                + "v.error, v.version, v.target, v.failover, v.tokens_in, v.tokens_out, v.latency, v.citations, v.attempts, :now, "
                + "v.tool_name, v.tool_call_id, v.tool_error, v.tool_signature from (values " + values + ") as v(n, role, content, "
                + "status, error, version, target, failover, tokens_in, tokens_out, latency, citations, attempts, tool_name, "
                + "tool_call_id, tool_error, tool_signature) cross join (select coalesce(max(seq), 0) as seq from chat_messages "
                + "where session_id = :session) last returning id, seq")
                .param("tenant", TenantContext.require()).param("session", sessionId).param("now", Timestamp.from(at));
        List<String> citations = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            NewMessage message = messages.get(i);
            String stored = message.citations() == null || message.citations().isEmpty() ? "[]"
                    : json.writeValueAsString(message.citations());
            citations.add(stored);
            insert = insert.param("role" + i, message.role()).param("content" + i, message.content())
                    .param("status" + i, message.status()).param("error" + i, message.error())
                    .param("version" + i, message.personaVersion()).param("target" + i, message.target())
                    .param("failover" + i, message.failover()).param("in" + i, message.tokensIn())
                    .param("out" + i, message.tokensOut()).param("latency" + i, message.latencyMs())
                    .param("citations" + i, stored)
                    .param("attempts" + i, message.attempts() == null ? null : json.writeValueAsString(message.attempts()))
                    .param("toolName" + i, message.tool() == null ? null : message.tool().name())
                    .param("toolCallId" + i, message.tool() == null ? null : message.tool().callId())
                    .param("toolError" + i, message.tool() == null ? null : message.tool().error())
                    .param("toolSignature" + i, message.tool() == null ? null : message.tool().signature());
        }
        List<Object[]> keys = insert.query((rs, row) -> new Object[] {rs.getObject("id", UUID.class), rs.getLong("seq")}).list();
        keys.sort(Comparator.comparingLong(k -> (Long) k[1]));
        List<ChatMessage> stored = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            NewMessage message = messages.get(i);
            ChatMessage.ToolPart tool = message.tool() == null ? null : new ChatMessage.ToolPart(message.tool().name(),
                    message.tool().callId(), message.tool().error(), message.tool().signature());
            stored.add(new ChatMessage((UUID) keys.get(i)[0], (Long) keys.get(i)[1], message.role(), message.content(), message.status(),
                    message.error(), message.personaVersion(), message.target(), message.failover(), message.tokensIn(),
                    message.tokensOut(), message.latencyMs(), citations(citations.get(i)), message.attempts(), at, tool));
        }
        return stored;
    }

    /**
     * The user's session, if it exists, is theirs and was not deleted, with its newest {@code limit} messages, oldest
     * first: one statement, for the turn that continues it.
     */
    public Optional<SessionWithRecent> sessionWithRecent(UUID id, UUID userId, int limit) {
        List<ChatSession> session = new ArrayList<>(1);
        List<ChatMessage> newestFirst = new ArrayList<>();
        jdbc.sql("select s.id as s_id, s.user_id as s_user_id, s.persona_id as s_persona_id, s.title as s_title, "
                + "s.created_at as s_created_at, s.last_activity_at as s_last_activity_at, s.expires_at as s_expires_at, "
                + "s.summary as s_summary, s.summary_through as s_summary_through, m.* from chat_sessions s left join lateral "
                + "(select * from chat_messages where session_id = s.id order by seq desc limit :limit) m on true "
                + "where s.id = :id and s.user_id = :user and s.deleted_at is null order by m.seq desc")
                .param("id", id).param("user", userId).param("limit", limit).query(rs -> {
                    if (session.isEmpty()) {
                        session.add(new ChatSession(rs.getObject("s_id", UUID.class), rs.getObject("s_user_id", UUID.class),
                                rs.getObject("s_persona_id", UUID.class), rs.getString("s_title"), instant(rs, "s_created_at"),
                                instant(rs, "s_last_activity_at"), instant(rs, "s_expires_at"), rs.getString("s_summary"),
                                rs.getLong("s_summary_through")));
                    }
                    if (rs.getObject("id") != null) {
                        newestFirst.add(message(rs, 0));
                    }
                });
        if (session.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionWithRecent(session.getFirst(), newestFirst.reversed()));
    }

    /** A session and its newest messages, oldest first. */
    public record SessionWithRecent(ChatSession session, List<ChatMessage> recent) {
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
                citations(rs.getString("citations")), attempts == null ? null : json.readValue(attempts, ATTEMPTS),
                instant(rs, "created_at"), tool);
    }

    /** Stored citations; most messages have none, and "[]" needs no parser. */
    private List<MessageCitation> citations(String stored) {
        return stored == null || stored.equals("[]") ? List.of() : json.readValue(stored, CITATIONS);
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
