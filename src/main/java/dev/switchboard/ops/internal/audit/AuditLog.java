package dev.switchboard.ops.internal.audit;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.llm.ProviderChanged;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every {@link SecurityEventOccurred} to {@code audit_events}, in the event's tenant, once the action's
 * transaction has committed (or at once when there was none, as for a failed sign-in): the log records what happened,
 * not what was attempted and rolled back. The rows are written off the request thread by the {@link AuditWriter}.
 */
@Component
class AuditLog {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final JsonMapper json;
    private final AuditWriter writer;

    AuditLog(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, AuditWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(Propagation.REQUIRES_NEW.value());
        this.json = json;
    }

    /** One entry as admins read it. */
    record Entry(long id, Instant occurredAt, String action, UUID actorId, String actorEmail, String address,
            UUID subjectId,
            @Schema(description = "Free-form: what the action recorded (its fields depend on the action).") Map<String, Object> details) {
    }

    @TransactionalEventListener(fallbackExecution = true)
    void record(SecurityEventOccurred event) {
        writer.submit(event);
    }

    /** Provider changes are audited like identity changes, as the administrator who made them. */
    @TransactionalEventListener(fallbackExecution = true)
    void record(ProviderChanged event) {
        Caller caller = Callers.require();
        record(new SecurityEventOccurred(event.action(), caller.tenantId(), caller.userId(), caller.email(),
                clientAddress(), null, Map.of("provider", event.providerId()), Instant.now()));
    }

    private static String clientAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
    }

    private static void condition(StringBuilder where, Map<String, Object> params, String condition, String name, Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.put(name, value);
        }
    }

    /**
     * Which entries to read: all but {@code limit} are optional. {@code action} and {@code actorEmail} match exactly (the
     * address ignoring case); {@code from} inclusive, {@code to} exclusive; {@code before} an entry id (for paging).
     */
    record Filter(String action, String actorEmail, Instant from, Instant to, Long before, int limit) {
    }

    /**
     * The current tenant's entries, newest first. Every filter has an index of its own ({@code V23}): the tenant's
     * newest ids, by action, by actor address; a page of 10,000+ rows reads only the page's rows.
     */
    List<Entry> entries(Filter filter) {
        // a reader on this replica sees the events of requests that have already been answered
        writer.awaitSettled(Duration.ofSeconds(2));
        // Only the filters given become conditions: an "(:x is null or …)" condition would keep a generic plan off the
        // filter's index.
        StringBuilder where = new StringBuilder("true");
        Map<String, Object> params = new HashMap<>();
        condition(where, params, "id < :before", "before", filter.before());
        condition(where, params, "action = :action", "action", filter.action());
        condition(where, params, "lower(actor_email) = lower(:actor)", "actor", filter.actorEmail());
        condition(where, params, "occurred_at >= :from", "from", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(where, params, "occurred_at < :to", "to", filter.to() == null ? null : Timestamp.from(filter.to()));
        params.put("limit", filter.limit());
        return transactions.execute(status -> jdbc.sql("select * from audit_events where " + where + " order by id desc limit :limit")
                .params(params)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("action"), rs.getObject("actor_id", UUID.class), rs.getString("actor_email"),
                        rs.getString("address"), rs.getObject("subject_id", UUID.class),
                        json.readValue(rs.getString("details"), DETAILS)))
                .list());
    }
}
