package dev.switchboard.ops.internal.audit;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.shared.DurableWrites;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit events off the request thread, so that a client never waits for the audit row, without losing them
 * under a burst: events wait in a bounded queue ({@value #CAPACITY}) for one writer thread, which inserts them in
 * batches of up to {@value #BATCH} (one transaction per tenant in the batch, so row-level security holds) and retries a
 * batch for about 20 s while the database's trouble is passing ({@link DurableWrites#PATIENT_POLICY}: no connection in
 * time, a serialisation failure, a dropped connection). One connection at a time is all it ever takes from the pool,
 * however many requests audit at once. When the queue is full the request that audits waits for room (up to
 * {@link #ROOM_WAIT}) rather than the event being dropped; a batch that fails for any other reason is written event by
 * event, so one bad event does not take the others with it. What is still lost — a full queue for 5 s, a database down
 * for longer than the retries, a failing event — is logged and counted ({@code switchboard_audit_events_total} by
 * {@code outcome}), and alerted on (deploy/prometheus/alerts.yml, SwitchboardAuditEventsLost).
 */
@Component
class AuditWriter implements MeterBinder {

    static final int CAPACITY = 10_000;
    static final int BATCH = 200;
    static final Duration ROOM_WAIT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

    private static final String INSERT = "insert into audit_events (tenant_id, occurred_at, action, actor_id, actor_email, "
            + "address, subject_id, details) values (:tenant, :at, :action, :actor, :email, :address, :subject, "
            + "cast(:details as jsonb))";

    private final BlockingQueue<SecurityEventOccurred> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final DurableWrites writes;
    private final JsonMapper json;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** Events accepted into the queue and events settled (written or given up), for {@link #awaitSettled}. */
    private final ReentrantLock progress = new ReentrantLock();
    private final Condition settledChanged = progress.newCondition();
    private long accepted;
    private long settled;

    private volatile boolean stopping;
    private Thread writer;

    AuditWriter(NamedParameterJdbcTemplate jdbc, TransactionTemplate transactions, DurableWrites writes, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions.getTransactionManager());
        this.transactions.setPropagationBehavior(Propagation.REQUIRES_NEW.value());
        this.writes = writes.patient();
        this.json = json;
    }

    @PostConstruct
    void start() {
        writer = Thread.ofPlatform().name("audit-writer").daemon().start(this::run);
    }

    /**
     * Queues {@code event} for writing; waits up to {@link #ROOM_WAIT} for room when the queue is full, and logs and
     * counts the event as refused when there is none by then.
     */
    void submit(SecurityEventOccurred event) {
        progress.lock();
        try {
            accepted++;
        }
        finally {
            progress.unlock();
        }
        boolean queued;
        try {
            queued = queue.offer(event, ROOM_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            refused.incrementAndGet();
            log.error("Audit event {} of tenant {} was not written: the audit queue stayed full for {}", event.action(),
                    event.tenantId(), ROOM_WAIT);
            settle(1);
        }
    }

    /**
     * Returns once every event submitted before the call is written or given up, or after {@code timeout}: a reader on
     * this replica then sees the events of requests that have already been answered.
     */
    void awaitSettled(Duration timeout) {
        long remaining = timeout.toNanos();
        progress.lock();
        try {
            long target = accepted;
            while (settled < target && remaining > 0) {
                remaining = settledChanged.awaitNanos(remaining);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            progress.unlock();
        }
    }

    private void settle(int events) {
        progress.lock();
        try {
            settled += events;
            settledChanged.signalAll();
        }
        finally {
            progress.unlock();
        }
    }

    private void run() {
        List<SecurityEventOccurred> batch = new ArrayList<>(BATCH);
        while (true) {
            SecurityEventOccurred first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                first = null;
            }
            if (first == null) {
                if (stopping && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            try {
                write(batch);
            }
            catch (RuntimeException ex) {
                // write() accounts for every event itself; this only keeps the writer alive
                log.error("Audit writer failed unexpectedly", ex);
            }
            finally {
                settle(batch.size());
                batch.clear();
            }
        }
    }

    private void write(List<SecurityEventOccurred> batch) {
        Map<UUID, List<SecurityEventOccurred>> byTenant = new LinkedHashMap<>();
        for (SecurityEventOccurred event : batch) {
            byTenant.computeIfAbsent(event.tenantId(), tenant -> new ArrayList<>()).add(event);
        }
        byTenant.forEach((tenant, events) -> {
            try {
                writes.write(() -> insert(tenant, events));
                written.addAndGet(events.size());
            }
            catch (RuntimeException batchFailure) {
                if (events.size() == 1 || writes.retries(batchFailure)) {
                    giveUp(tenant, events, batchFailure);
                    return;
                }
                // not a passing fault: maybe one bad event, so the others go on their own
                for (SecurityEventOccurred event : events) {
                    try {
                        insert(tenant, List.of(event));
                        written.incrementAndGet();
                    }
                    catch (RuntimeException ex) {
                        giveUp(tenant, List.of(event), ex);
                    }
                }
            }
        });
    }

    private void giveUp(UUID tenant, List<SecurityEventOccurred> events, RuntimeException failure) {
        failed.addAndGet(events.size());
        log.error("Could not write {} audit event(s) of tenant {}: {}", events.size(), tenant,
                events.stream().map(SecurityEventOccurred::action).distinct().toList(), failure);
    }

    private int insert(UUID tenant, List<SecurityEventOccurred> events) {
        SqlParameterSource[] rows = events.stream().map(this::row).toArray(SqlParameterSource[]::new);
        try (TenantContext.Scope ignored = TenantContext.open(tenant)) {
            return transactions.execute(status -> jdbc.batchUpdate(INSERT, rows).length);
        }
    }

    private SqlParameterSource row(SecurityEventOccurred event) {
        return new MapSqlParameterSource()
                .addValue("tenant", event.tenantId())
                .addValue("at", Timestamp.from(event.occurredAt()))
                .addValue("action", event.action())
                .addValue("actor", event.actorId())
                .addValue("email", event.actorEmail())
                .addValue("address", event.address())
                .addValue("subject", event.subjectId())
                .addValue("details", json.writeValueAsString(event.details()));
    }

    @PreDestroy
    void drain() throws InterruptedException {
        stopping = true;
        writer.join(Duration.ofSeconds(10));
        if (writer.isAlive() || !queue.isEmpty()) {
            log.warn("{} audit events still waiting to be written at shutdown were abandoned", queue.size());
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.audit.queued", queue, BlockingQueue::size)
                .description("Audit events waiting to be written")
                .register(registry);
        outcome(registry, "written", written, "Audit events written");
        outcome(registry, "failed", failed, "Audit events given up after the retries (logged)");
        outcome(registry, "refused", refused, "Audit events not queued: the queue stayed full (logged)");
    }

    private static void outcome(MeterRegistry registry, String outcome, AtomicLong count, String description) {
        FunctionCounter.builder("switchboard.audit.events", count, AtomicLong::doubleValue)
                .description(description)
                .tag("outcome", outcome)
                .register(registry);
    }
}
