package dev.switchboard.knowledge.internal.ingestion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.switchboard.knowledge.internal.KnowledgeProperties;
import dev.switchboard.knowledge.internal.parsing.Deadline;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;

/**
 * The knowledge module's persistent jobs in PostgreSQL (db-scheduler, table {@code scheduled_tasks}), picked by
 * a worker of any replica: one ingestion job per document, and the re-index job when the embedding model
 * changed. A job whose worker died (crash, kill) stops heart-beating and is picked up again about 20 s later,
 * and resumes. Jobs are queued through a transaction-aware data source, so a document's job exists exactly when
 * its row does.
 * <p>
 * <b>Fairness and time.</b> A job runs only while it holds one of its tenant's {@link IngestionSlots}
 * ({@code max-concurrent-per-tenant}); without a free slot it is put off, counting no attempt, until the job holding
 * the slot ends and hands it over (failing that, for ten seconds), and the worker takes the next due job — another
 * tenant's. Each attempt has the time budget {@code job-timeout}, kept by the {@link IngestionWatchdog}.
 * <p>
 * <b>Attempts.</b> Each run of a document's ingestion counts as an attempt on its row ({@code attempts}), whether
 * it ended in an error or the process died under it. A failed run is retried after an exponential backoff while
 * attempts are left; after the {@code max-attempts}-th the document is marked failed. If marking it failed does not
 * work (the database is unwell), the job is kept and retried rather than removed, and its next run marks the
 * document failed — no document stays in {@code embedding} without a job.
 */
@Component
class IngestionJobs implements IngestionQueue, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionJobs.class);

    static final String TASK = "ingest-document";
    static final String REINDEX_TASK = "reindex-knowledge";
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);

    /**
     * How long a job whose tenant has no free slot is put off (it counts no attempt). A job that frees a slot makes the
     * tenant's oldest put-off job due at once ({@link #slotFreed}), and that job claims the others as its companions; the
     * wait is only the fallback for a hand-over that did not happen (the replica holding the slot died before it could
     * hand it over, or waking the next job failed). The jobs db-scheduler revives after a replica's death are handed the
     * slot too: their documents, left part-way, count as waiting ({@link CompanionJobs#UNFINISHED}); before they did, they
     * took the slot one per wait, and the wait had to stay at 2 s (at 10 s, 27 documents revived after a kill took 270 s in
     * CI). Short waits cost: every waiting job is picked, refused and put off again each time, about 1.4 ms of CPU in this
     * JVM and 1.1 ms in PostgreSQL per pick (200 jobs kept off a held slot, 30 s against 30 s idle, in a test JVM; at 2 s,
     * 400 queued documents made some 12,000 futile picks in two minutes, CPU the embedding model lacked).
     */
    private static final Duration SLOT_WAIT = Duration.ofSeconds(10);

    private final CustomTask<String> task;
    private final OneTimeTask<Void> reindex;
    private final SchedulerClient client;
    private final Supplier<Scheduler> workers;
    private final IndexState indexState;
    private final Traces traces;
    private final IngestionSlots slots;
    private volatile Scheduler scheduler;
    /** Set while the workers stop: an attempt that ends in an exception then was interrupted by the stop. */
    private volatile boolean stopping;

    IngestionJobs(DataSource dataSource, IngestionPipeline pipeline, Reindexing reindexing, IndexState indexState,
            KnowledgeProperties properties, IngestionSlots slots, IngestionWatchdog watchdog, Traces traces, CompanionJobs companions) {
        this.indexState = indexState;
        this.traces = traces;
        this.slots = slots;
        this.task = Tasks.custom(TASK, String.class)
                .onFailure((complete, operations) -> afterFailedIngestion(pipeline, complete, operations))
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    String[] ids = instance.getData().split("/");
                    UUID tenantId = UUID.fromString(ids[0]);
                    UUID documentId = UUID.fromString(ids[1]);
                    if (slots.claim(tenantId, documentId).isEmpty()) {
                        return (complete, operations) -> operations.reschedule(complete, Instant.now().plus(SLOT_WAIT));
                    }
                    // A trace of its own (the job runs later, on a worker of any replica), linked to the upload's request.
                    try (TraceSpan span = traces.startLinked("knowledge.ingest", ids.length > 2 ? ids[2] : null)) {
                        span.tag(TraceAttributes.TENANT, tenantId.toString()).tag(DOCUMENT, documentId.toString())
                                .tag(CONSECUTIVE_FAILURES, context.getExecution().consecutiveFailures);
                        try {
                            attempt(pipeline, watchdog, properties, companions, tenantId, documentId);
                        }
                        catch (RuntimeException ex) {
                            if (stopping) {
                                // This replica is stopping: its workers had shutdownMaxWait, then were interrupted. Not a
                                // failure of the document: due again at once, for any replica's workers, without a
                                // backoff or the give-up check (the next run counts as an attempt as usual).
                                log.info("Ingestion of document {} was stopped with this replica's workers ({}); it is due again "
                                        + "at once on any replica", documentId, ex.toString());
                                span.tag(STOPPED, true);
                                return (complete, operations) -> operations.reschedule(complete, Instant.now());
                            }
                            span.failed(ex);
                            throw ex;
                        }
                    }
                    finally {
                        slots.release(tenantId, documentId);
                        slotFreed(companions, tenantId);
                    }
                    return (complete, operations) -> operations.remove();
                });
        this.reindex = Tasks.oneTime(REINDEX_TASK)
                .onFailure((complete, operations) -> {
                    log.warn("The re-index failed (see the error above); it is retried");
                    operations.reschedule(complete, Instant.now().plus(backoff(complete)));
                })
                .execute((instance, context) -> reindexing.run());
        DataSource transactional = new TransactionAwareDataSourceProxy(dataSource);
        this.client = SchedulerClient.Builder.create(transactional, List.of(task, reindex)).build();
        // A stopped scheduler cannot start again; the context may be stopped and started (tests pause it).
        this.workers = () -> Scheduler.create(transactional, List.of(task, reindex))
                .threads(properties.ingestionWorkers() + 1)
                .pollingInterval(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofSeconds(5))
                .missedHeartbeatsLimit(4)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Event-driven hand-over of a tenant's slot: the tenant's next job put off for the slot becomes due and this replica's
     * workers look for due jobs now, instead of after that job's wait ({@link #SLOT_WAIT}) and the next poll. If the
     * hand-over fails, the job still runs when its wait is over.
     */
    private void slotFreed(CompanionJobs companions, UUID tenantId) {
        try {
            companions.wakeNext(tenantId);
        }
        catch (RuntimeException ex) {
            log.warn("The next ingestion job of tenant {} could not be woken ({}); it runs after its wait", tenantId, ex.toString());
        }
        lookForDueJobs();
    }

    /**
     * One attempt within the time budget, watched so that its document fails on time even if its worker is blocked; with the due
     * jobs of the tenant's other small documents claimed alongside (at most {@code ingestion-batch-documents} in all), so
     * that they are ingested together. A claimed job ends when its document is done with, or is given back to run on its
     * own after a backoff when its run failed for a passing reason; the lead document's failure is thrown to its job.
     */
    private static void attempt(IngestionPipeline pipeline, IngestionWatchdog watchdog, KnowledgeProperties properties,
            CompanionJobs companions, UUID tenantId, UUID documentId) {
        Deadline deadline = Deadline.after(watchdog.clock(), properties.jobTimeout());
        List<UUID> claimed = companions.claim(tenantId, documentId, properties.ingestionBatchDocuments() - 1);
        List<UUID> documents = new ArrayList<>(claimed.size() + 1);
        documents.add(documentId);
        documents.addAll(claimed);
        Map<UUID, RuntimeException> passing = null;
        try (IngestionWatchdog.Watch watched = watchdog.watch(tenantId, documentId, deadline);
                CompanionJobs.Beat beat = companions.keepAlive(documentId, claimed)) {
            passing = pipeline.ingestAll(tenantId, documents, deadline);
        }
        finally {
            List<UUID> done = new ArrayList<>();
            for (UUID companion : claimed) {
                if (passing == null || passing.containsKey(companion)) {
                    giveBack(companions, documentId, companion);
                }
                else {
                    done.add(companion);
                }
            }
            try {
                companions.done(documentId, done);
            }
            catch (RuntimeException ex) {
                // Their jobs stop heart-beating and are revived like dead executions; each finds its document done.
                log.warn("The jobs of {} documents ingested with {} could not be ended ({}); they are revived later", done.size(),
                        documentId, ex.toString());
            }
        }
        RuntimeException failure = passing.get(documentId);
        if (failure != null) {
            throw failure;
        }
    }

    private static void giveBack(CompanionJobs companions, UUID lead, UUID companion) {
        try {
            companions.release(lead, companion);
        }
        catch (RuntimeException ex) {
            // Its job stops heart-beating and is revived like a dead execution.
            log.warn("The job of document {} could not be given back ({}); it is revived later", companion, ex.toString());
        }
    }

    /** Gives the document up once its attempts are spent; otherwise (or if giving up failed) tries again later. */
    private static void afterFailedIngestion(IngestionPipeline pipeline, ExecutionComplete complete,
            ExecutionOperations<String> operations) {
        String[] ids = ((String) complete.getExecution().taskInstance.getData()).split("/");
        boolean gaveUp = false;
        try {
            gaveUp = pipeline.giveUpIfExhausted(UUID.fromString(ids[0]), UUID.fromString(ids[1]));
        }
        catch (RuntimeException ex) {
            log.warn("Document {} could not be marked failed ({}); its job is kept and retried", ids[1], ex.toString());
        }
        if (gaveUp) {
            operations.stop();
        }
        else {
            operations.reschedule(complete, Instant.now().plus(backoff(complete)));
        }
    }

    /** 5 s, doubling per consecutive failure, at most 5 minutes. */
    private static Duration backoff(ExecutionComplete complete) {
        int failures = Math.min(complete.getExecution().consecutiveFailures, 10);
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << failures);
        return wait.compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : wait;
    }

    /** Span attributes of an ingestion job. */
    static final String DOCUMENT = "switchboard.knowledge.document.id";

    static final String CONSECUTIVE_FAILURES = "switchboard.job.consecutive_failures";

    /** Set on the span of an attempt that this replica's stop interrupted. */
    static final String STOPPED = "switchboard.job.stopped";

    /**
     * The job's data is {@code tenant/document}, then the enqueuing request's W3C {@code traceparent} when there was a
     * trace (jobs queued before traces existed have two parts and run the same).
     */
    @Override
    public void enqueue(UUID tenantId, UUID documentId) {
        String traceparent = traces.currentContext();
        String data = tenantId + "/" + documentId + (traceparent == null ? "" : "/" + traceparent);
        // With every slot of the tenant busy, the job is put off at once, as a pick would: it waits to be claimed into the
        // running job's next batch or handed the slot when it is freed. Due at once, each upload during an ingestion made
        // the workers pick it only to put it off (about 2 ms of CPU each; while 1,000 documents were uploaded and ingested,
        // 2,068 futile picks before, 1,379 after, the rest the put-off jobs' waits running out). A slot freed between the
        // check and this transaction's commit hands over to an older job (this one is not visible yet): then this one runs
        // after its wait at the latest.
        boolean free = slots.anyFree(tenantId);
        client.scheduleIfNotExists(task.instance(documentId.toString(), data), free ? Instant.now() : Instant.now().plus(SLOT_WAIT));
        if (free) {
            lookForDueJobs();
        }
    }

    /** This replica's workers look for due jobs now rather than at their next poll. */
    private void lookForDueJobs() {
        Scheduler running = scheduler;
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }

    /**
     * At the end of context start: after the migrations, before command-line runners need the workers. The
     * configured embedding model is compared with the index's first, so a re-index is due before any worker runs.
     */
    @Override
    public synchronized void start() {
        if (scheduler == null) {
            if (indexState.prepare()) {
                client.scheduleIfNotExists(reindex.instance("index"), Instant.now());
            }
            scheduler = workers.get();
            scheduler.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            stopping = true;
            try {
                scheduler.stop();
            }
            finally {
                stopping = false;
                scheduler = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        // Stop the workers before the web server and the data source go away.
        return Integer.MAX_VALUE - 100;
    }
}
