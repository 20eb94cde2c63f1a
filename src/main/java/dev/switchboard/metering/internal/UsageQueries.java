package dev.switchboard.metering.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Aggregates {@code usage_records} (and {@code usage_persona_records}) of the current tenant. */
@Component
class UsageQueries {

    enum Grouping {
        DAY("to_char(date_trunc('day', minute at time zone 'UTC'), 'YYYY-MM-DD')"),
        KEY("nullif(api_key_id, '00000000-0000-0000-0000-000000000000')::text"),
        USER("user_id::text"),
        /** Chat turns per persona ({@code usage_persona_records}): requests are turns, errors failed turns. */
        PERSONA("persona_id::text");

        private final String expression;

        Grouping(String expression) {
            this.expression = expression;
        }
    }

    /**
     * One group: its key (a day, key id, user id or persona id; null for sessions when grouped by key) and totals.
     */
    record Row(String group, long requests, long tokensIn, long tokensOut, long errors) {
    }

    private final JdbcClient jdbc;

    UsageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<Row> aggregate(Instant from, Instant to, Grouping grouping, UUID keyId) {
        if (grouping == Grouping.PERSONA) {
            return personas(from, to);
        }
        return jdbc.sql("select " + grouping.expression + " as grp, sum(requests) as requests, sum(tokens_in) as tokens_in, "
                + "sum(tokens_out) as tokens_out, sum(requests) filter (where status >= 400) as errors "
                + "from usage_records where minute >= :from and minute < :to "
                + "and (cast(:key as uuid) is null or api_key_id = :key) group by 1 order by 1")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to)).param("key", keyId)
                .query((rs, n) -> new Row(rs.getString("grp"), rs.getLong("requests"), rs.getLong("tokens_in"),
                        rs.getLong("tokens_out"), rs.getLong("errors")))
                .list();
    }

    private List<Row> personas(Instant from, Instant to) {
        return jdbc.sql("select persona_id::text as grp, sum(turns) as requests, sum(tokens_in) as tokens_in, "
                + "sum(tokens_out) as tokens_out, sum(failed) as errors from usage_persona_records "
                + "where minute >= :from and minute < :to group by 1 order by 1")
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new Row(rs.getString("grp"), rs.getLong("requests"), rs.getLong("tokens_in"),
                        rs.getLong("tokens_out"), rs.getLong("errors")))
                .list();
    }
}
