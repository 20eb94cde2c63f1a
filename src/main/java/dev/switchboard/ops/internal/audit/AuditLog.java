package dev.switchboard.ops.internal.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import dev.switchboard.tenancy.TenantContext;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every {@link SecurityEventOccurred} to {@code audit_events}, in the event's tenant and in a
 * transaction of its own, after the action's transaction has committed (or at once when there was none, as
 * for a failed sign-in): the log records what happened, not what was attempted and rolled back.
 */
@Component
class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final JsonMapper json;
    private final AtomicInteger pending = new AtomicInteger();

    AuditLog(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(Propagation.REQUIRES_NEW.value());
        this.json = json;
    }

    /** One entry as admins read it. */
    record Entry(long id, Instant occurredAt, String action, UUID actorId, String actorEmail, String address,
            UUID subjectId,
            @Schema(description = "Free-form: what the action recorded (its fields depend on the action).") Map<String, Object> details) {
    }

    /** Writes happen off the request thread: the client does not wait for the audit row's commit. */
    private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();

    @TransactionalEventListener(fallbackExecution = true)
    void record(SecurityEventOccurred event) {
        pending.incrementAndGet();
        writer.execute(() -> {
            try {
                write(event);
            }
            finally {
                pending.decrementAndGet();
            }
        });
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

    /** Lets a reader on this replica see the events of requests that have already been answered. */
    private void awaitPendingWrites() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @PreDestroy
    void drain() throws InterruptedException {
        writer.shutdown();
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("Audit events still being written at shutdown were abandoned");
        }
    }

    private void write(SecurityEventOccurred event) {
        Runnable insert = () -> transactions.executeWithoutResult(status -> jdbc.sql(
                "insert into audit_events (tenant_id, occurred_at, action, actor_id, actor_email, address, subject_id, details) "
                        + "values (:tenant, :at, :action, :actor, :email, :address, :subject, cast(:details as jsonb))")
                .param("tenant", event.tenantId()).param("at", Timestamp.from(event.occurredAt()))
                .param("action", event.action()).param("actor", event.actorId()).param("email", event.actorEmail())
                .param("address", event.address()).param("subject", event.subjectId())
                .param("details", json.writeValueAsString(event.details()))
                .update());
        try {
            if (event.tenantId() == null) {
                try (TenantContext.Scope ignored = TenantContext.open(null)) {
                    insert.run();
                }
            }
            else {
                TenantContext.runAs(event.tenantId(), insert);
            }
        }
        catch (RuntimeException ex) {
            log.error("Could not write audit event {} of tenant {}", event.action(), event.tenantId(), ex);
        }
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
        awaitPendingWrites();
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
