package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Chat sessions seeded with SQL for the API key's owner (tenant, user, persona), each with an exact number of messages.
 */
public final class Sessions {

    /** The seeded content of message {@code seq} (the same template as the SQL seed). */
    public static String content(int seq, String title) {
        return seq % 2 == 1 ? "Question " + seq + " in session " + title + ": " + "what about the next step? ".repeat(4)
                : "Answer " + seq + " in session " + title + ": " + "Here is a careful explanation of that step. ".repeat(8);
    }

    public record Owner(UUID tenant, UUID user, UUID persona) {
    }

    public static Owner owner(Connection db) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("select u.tenant_id, u.id, p.id from users u "
                        + "join personas p on p.tenant_id = u.tenant_id and p.slug = 'bench' and p.deleted_at is null where lower(u.email) = '"
                        + EMAIL + "'")) {
            if (!r.next()) {
                throw new IllegalStateException("no bench user/persona in the database");
            }
            return new Owner(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getObject(3, UUID.class));
        }
    }

    public static final String CONTENT_SQL = "case when g % 2 = 1 then 'Question ' || g || ' in session ' || s.title || ': ' || "
            + "repeat('what about the next step? ', 4) else 'Answer ' || g || ' in session ' || s.title || ': ' || "
            + "repeat('Here is a careful explanation of that step. ', 8) end";

    /** {@code count} sessions named prefix-1..count, each with {@code messages} messages; their ids in name order. */
    public static List<UUID> seed(Connection db, Owner owner, String prefix, int count, int messages) throws Exception {
        try (PreparedStatement sessions = db.prepareStatement("insert into chat_sessions (tenant_id, user_id, persona_id, title, "
                + "expires_at) select ?, ?, ?, ? || '-' || n, now() + interval '1 day' from generate_series(1, ?) n");
                PreparedStatement insert = db.prepareStatement("insert into chat_messages (tenant_id, session_id, seq, role, content) "
                        + "select s.tenant_id, s.id, g, case when g % 2 = 1 then 'user' else 'assistant' end, " + CONTENT_SQL
                        + " from chat_sessions s cross join generate_series(1, ?) g where s.title like ? || '-%'")) {
            sessions.setObject(1, owner.tenant);
            sessions.setObject(2, owner.user);
            sessions.setObject(3, owner.persona);
            sessions.setString(4, prefix);
            sessions.setInt(5, count);
            sessions.executeUpdate();
            insert.setInt(1, messages);
            insert.setString(2, prefix);
            insert.executeUpdate();
        }
        return ids(db, prefix);
    }

    /** Like {@link #seed}, but the messages inserted round-robin across the sessions (seq-major order). */
    public static List<UUID> seedInterleaved(Connection db, Owner owner, int count, int messages) throws Exception {
        try (PreparedStatement sessions = db.prepareStatement("insert into chat_sessions (tenant_id, user_id, persona_id, title, "
                + "expires_at) select ?, ?, ?, 'hist-' || n, now() + interval '1 day' from generate_series(1, ?) n");
                PreparedStatement insert = db.prepareStatement("insert into chat_messages (tenant_id, session_id, seq, role, content, "
                        + "created_at) select s.tenant_id, s.id, g, case when g % 2 = 1 then 'user' else 'assistant' end, " + CONTENT_SQL
                        + ", now() - interval '1 minute' * (? - g) from generate_series(1, ?) g cross join "
                        + "(select id, tenant_id, title, row_number() over (order by title) n from chat_sessions where title like 'hist-%') s "
                        + "order by g, s.n")) {
            sessions.setObject(1, owner.tenant);
            sessions.setObject(2, owner.user);
            sessions.setObject(3, owner.persona);
            sessions.setInt(4, count);
            sessions.executeUpdate();
            insert.setInt(1, messages);
            insert.setInt(2, messages);
            insert.executeUpdate();
        }
        return ids(db, "hist");
    }

    public static List<UUID> ids(Connection db, String prefix) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("select id from chat_sessions where title like ? || '-%' "
                + "order by length(title), title")) {
            s.setString(1, prefix);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

}
