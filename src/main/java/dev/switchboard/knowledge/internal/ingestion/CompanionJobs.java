package dev.switchboard.knowledge.internal.ingestion;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.tenancy.TenantContext;

/**
 * Job claiming in batches: the worker running one document's ingestion job takes over the due jobs of other small
 * documents of the same tenant, so that they are ingested together ({@link IngestionPipeline#ingestAll}) under the slot
 * it holds. A claimed job stays in {@code scheduled_tasks}, marked picked by this run and heart-beaten by it, and is
 * removed only once its document is done: if the process dies, the jobs stop heart-beating and db-scheduler revives them
 * like any dead execution (about 20 s later), and each document resumes after its last recorded batch. A document whose
 * run failed for a passing reason gets its job back, due after a backoff.
 */
@Component
class CompanionJobs implements DisposableBean {

    /** Documents larger than this are ingested by their own job: their chunks fill batches by themselves. */
    static final long MOST_BYTES = 256 * 1024;

    /**
     * The statuses of a document whose job is still to run: queued, or left part-way by a run that died with its replica
     * (or failed for a passing reason) — without these, the jobs db-scheduler revives were neither claimed into a batch
     * nor handed a freed slot, and took the slot one per {@code SLOT_WAIT}.
     */
    static final String UNFINISHED = "('queued', 'parsing', 'embedding')";

    /**
     * The document row of the job {@code s} (an ingestion job's instance is its document's id), looked up by primary key
     * in a subquery evaluated per job. As a join, the planner — its statistics stale after a burst of uploads, which is
     * when there is a queue — scanned all of the tenant's documents for every waiting job (a join filter on the id instead
     * of an index look-up): 30–90 ms a claim with 400 documents queued, growing with the queue times the tenant's
     * documents, and 5 of the 10 s of PostgreSQL's CPU in the ingestion of 1,000 documents ({@code bench/ingestion.sh}).
     */
    static final String DOCUMENT_OF_JOB = "knowledge_documents d where d.id = (case when s.task_name = :task then "
            + "s.task_instance::uuid end)";

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private static final Duration BEAT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(CompanionJobs.class);

    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ingestion-companion-beat").factory());

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    CompanionJobs(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Who picked the jobs claimed with {@code lead}'s: marks them in {@code picked_by}. */
    static String pickedBy(UUID lead) {
        return "batch/" + lead;
    }

    /**
     * Claims up to {@code most} jobs of the tenant's other waiting documents of at most {@value #MOST_BYTES} bytes, the
     * oldest first, skipping jobs another worker is claiming: jobs that are due, and jobs put off only because the
     * tenant's slots were busy (no failure yet); a job retried after a failure waits for its backoff. Waiting documents
     * are queued ones and those a run left part-way ({@link #UNFINISHED}: the jobs db-scheduler revives after a replica's
     * death), which resume after their last recorded batch like any other run.
     */
    List<UUID> claim(UUID tenantId, UUID lead, int most) {
        if (most <= 0) {
            return List.of();
        }
        return TenantContext.callAs(tenantId, () -> transactions.execute(status -> jdbc.sql("update scheduled_tasks set picked = true, "
                + "picked_by = :by, last_heartbeat = now(), version = version + 1 where task_name = :task and task_instance in ("
                + "select s.task_instance from scheduled_tasks s "
                + "where s.task_name = :task and not s.picked and (s.execution_time <= now() or coalesce(s.consecutive_failures, 0) = 0) "
                + "and s.task_instance <> :lead "
                + "and (select d.tenant_id = :tenant and d.status in " + UNFINISHED + " and d.size_bytes <= :bytes from "
                + DOCUMENT_OF_JOB + ") "
                + "order by s.execution_time limit :most for update of s skip locked) returning task_instance")
                .param("by", pickedBy(lead)).param("task", IngestionJobs.TASK).param("lead", lead.toString())
                .param("tenant", tenantId).param("bytes", MOST_BYTES).param("most", most)
                .query(String.class).list().stream().map(UUID::fromString).toList()));
    }

    /**
     * The tenant's slot was just freed: its oldest job put off only because the slot was busy (not one waiting out a
     * failure's backoff) becomes due now, so that the next batch starts at once rather than after that job's wait. That
     * includes a job revived after its replica's death (its document left part-way, {@link #UNFINISHED}) and then put off
     * for the slot: a put-off clears the failure count the revival added.
     *
     * @return whether a job was made due
     */
    boolean wakeNext(UUID tenantId) {
        Integer woken = TenantContext.callAs(tenantId, () -> transactions.execute(status -> jdbc.sql("update scheduled_tasks set "
                + "execution_time = now(), version = version + 1 where task_name = :task and task_instance = ("
                + "select s.task_instance from scheduled_tasks s "
                + "where s.task_name = :task and not s.picked and s.execution_time > now() and coalesce(s.consecutive_failures, 0) = 0 "
                + "and (select d.tenant_id = :tenant and d.status in " + UNFINISHED + " from " + DOCUMENT_OF_JOB + ") "
                + "order by s.execution_time limit 1 for update of s skip locked)")
                .param("task", IngestionJobs.TASK).param("tenant", tenantId).update()));
        return woken != null && woken > 0;
    }

    /** Heart-beats the jobs claimed with {@code lead}'s every 5 s until closed (db-scheduler takes a job for dead after 20 s). */
    Beat keepAlive(UUID lead, List<UUID> claimed) {
        if (claimed.isEmpty()) {
            return () -> {
            };
        }
        ScheduledFuture<?> beating = beats.scheduleWithFixedDelay(() -> {
            try {
                heartbeat(lead);
            }
            catch (RuntimeException ex) {
                log.warn("The jobs claimed with document {}'s could not be heart-beaten ({})", lead, ex.toString());
            }
        }, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
        return () -> beating.cancel(false);
    }

    /** Heart-beating the claimed jobs; closing it stops. */
    interface Beat extends AutoCloseable {

        @Override
        void close();
    }

    @Override
    public void destroy() {
        beats.shutdownNow();
    }

    /** Keeps the claimed jobs from being taken for dead. */
    void heartbeat(UUID lead) {
        transactions.executeWithoutResult(status -> jdbc.sql("update scheduled_tasks set last_heartbeat = now() "
                + "where task_name = :task and picked_by = :by").param("task", IngestionJobs.TASK).param("by", pickedBy(lead)).update());
    }

    /** The documents are done with (indexed, failed or gone): their jobs end. */
    void done(UUID lead, List<UUID> documents) {
        if (documents.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> jdbc.sql("delete from scheduled_tasks where task_name = :task and "
                + "task_instance = any(:instances) and picked_by = :by").param("task", IngestionJobs.TASK)
                .param("instances", documents.stream().map(UUID::toString).toArray(String[]::new)).param("by", pickedBy(lead)).update());
    }

    /** The document's run failed for a passing reason: its job runs again on its own after a backoff. */
    void release(UUID lead, UUID document) {
        transactions.executeWithoutResult(status -> jdbc.sql("update scheduled_tasks set picked = false, picked_by = null, "
                + "last_heartbeat = null, last_failure = now(), consecutive_failures = coalesce(consecutive_failures, 0) + 1, "
                + "execution_time = now() + make_interval(secs => :after), version = version + 1 "
                + "where task_name = :task and task_instance = :instance and picked_by = :by")
                .param("after", RETRY_AFTER.toSeconds()).param("task", IngestionJobs.TASK).param("instance", document.toString())
                .param("by", pickedBy(lead)).update());
    }
}
