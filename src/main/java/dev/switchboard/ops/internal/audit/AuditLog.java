package dev.switchboard.ops.internal.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.tenancy.TenantContext;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every {@link SecurityEventOccurred} to {@code audit_events}, in the event's tenant and in a
 * transaction of its own, after the action's transaction has committed (or at once when there was none, as
 * for a failed sign-in): the log records what happened, not what was attempted and rolled back.
 */
@Component
class AuditLog {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    AuditLog(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(Propagation.REQUIRES_NEW.value());
        this.json = json;
    }

    /** One entry as admins read it. */
    record Entry(long id, Instant occurredAt, String action, UUID actorId, String actorEmail, String address,
            UUID subjectId, Map<String, Object> details) {
    }

    @TransactionalEventListener(fallbackExecution = true)
    void record(SecurityEventOccurred event) {
        Runnable insert = () -> transactions.executeWithoutResult(status -> jdbc.sql(
                        "insert into audit_events (tenant_id, occurred_at, action, actor_id, actor_email, address, subject_id, details) "
                                + "values (:tenant, :at, :action, :actor, :email, :address, :subject, cast(:details as jsonb))")
                .param("tenant", event.tenantId()).param("at", Timestamp.from(event.occurredAt()))
                .param("action", event.action()).param("actor", event.actorId()).param("email", event.actorEmail())
                .param("address", event.address()).param("subject", event.subjectId())
                .param("details", json.writeValueAsString(event.details()))
                .update());
        if (event.tenantId() == null) {
            try (TenantContext.Scope ignored = TenantContext.open(null)) {
                insert.run();
            }
        }
        else {
            TenantContext.runAs(event.tenantId(), insert);
        }
    }

    /** The current tenant's entries, newest first, before the given id (for paging). */
    List<Entry> entries(Long beforeId, int limit) {
        return transactions.execute(status -> jdbc.sql("select * from audit_events where (cast(:before as bigint) is null or id < :before) "
                        + "order by id desc limit :limit")
                .param("before", beforeId).param("limit", limit)
                .query((rs, n) -> new Entry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("action"), rs.getObject("actor_id", UUID.class), rs.getString("actor_email"),
                        rs.getString("address"), rs.getObject("subject_id", UUID.class),
                        json.readValue(rs.getString("details"), Map.class)))
                .list());
    }
}
