package dev.switchboard.knowledge.internal.ingestion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.stereotype.Component;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import dev.switchboard.knowledge.internal.KnowledgeProperties;

/**
 * Ingestion as persistent jobs in PostgreSQL (db-scheduler, table {@code scheduled_tasks}): one job per
 * document, picked by a worker of any replica. A job whose worker died (crash, kill) stops heart-beating and
 * is picked up again about 20 s later, and the pipeline resumes it. Jobs are queued through a
 * transaction-aware data source, so a document's job exists exactly when its row does.
 */
@Component
class IngestionJobs implements IngestionQueue, SmartLifecycle {

    static final String TASK = "ingest-document";

    private final OneTimeTask<String> task;
    private final SchedulerClient client;
    private final Supplier<Scheduler> workers;
    private volatile Scheduler scheduler;

    IngestionJobs(DataSource dataSource, IngestionPipeline pipeline, KnowledgeProperties properties) {
        this.task = Tasks.oneTime(TASK, String.class)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<>(properties.maxAttempts(),
                        new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(5)),
                        (complete, operations) -> {
                            String[] ids = ((String) complete.getExecution().taskInstance.getData()).split("/");
                            pipeline.giveUp(UUID.fromString(ids[0]), UUID.fromString(ids[1]), properties.maxAttempts());
                            operations.stop();
                        }))
                .execute((instance, context) -> {
                    String[] ids = instance.getData().split("/");
                    pipeline.ingest(UUID.fromString(ids[0]), UUID.fromString(ids[1]));
                });
        DataSource transactional = new TransactionAwareDataSourceProxy(dataSource);
        this.client = SchedulerClient.Builder.create(transactional, List.of(task)).build();
        // A stopped scheduler cannot start again; the context may be stopped and started (tests pause it).
        this.workers = () -> Scheduler.create(transactional, List.of(task))
                .threads(properties.ingestionWorkers())
                .pollingInterval(Duration.ofSeconds(1))
                .heartbeatInterval(Duration.ofSeconds(5))
                .missedHeartbeatsLimit(4)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public void enqueue(UUID tenantId, UUID documentId) {
        client.scheduleIfNotExists(task.instance(documentId.toString(), tenantId + "/" + documentId), Instant.now());
        Scheduler running = scheduler;
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }

    /** At the end of context start: after the migrations, before command-line runners need the workers. */
    @Override
    public synchronized void start() {
        if (scheduler == null) {
            scheduler = workers.get();
            scheduler.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
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
