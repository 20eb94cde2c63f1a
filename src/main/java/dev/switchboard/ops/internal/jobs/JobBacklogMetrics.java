package dev.switchboard.ops.internal.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The background jobs' backlog, read from the job table every replica shares ({@code scheduled_tasks}, db-scheduler):
 * {@code switchboard_jobs_due} — jobs whose time has come and that no worker has picked up, by task (ingestion is
 * {@code ingest-document}) — and {@code switchboard_jobs_oldest_due_seconds}, how long the oldest of them has waited.
 * A growing backlog means the workers of all replicas together do not keep up (or none runs); alerts use both
 * (deploy/prometheus/alerts.yml). Read at scrape time; when the database cannot answer, the gauges are NaN (no
 * sample) rather than a misleading zero.
 */
@Component
class JobBacklogMetrics implements MeterBinder {

    static final String INGESTION_TASK = "ingest-document";

    private static final Logger log = LoggerFactory.getLogger(JobBacklogMetrics.class);

    private final JdbcClient jdbc;

    JobBacklogMetrics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("switchboard.jobs.due", this, jobs -> jobs.due(INGESTION_TASK))
                .description("Background jobs due and not yet picked up by any worker")
                .tag("task", INGESTION_TASK)
                .register(registry);
        Gauge.builder("switchboard.jobs.oldest_due", this, jobs -> jobs.oldestDueSeconds(INGESTION_TASK))
                .description("How long the oldest due, unpicked background job has waited")
                .baseUnit("seconds")
                .tag("task", INGESTION_TASK)
                .register(registry);
    }

    double due(String task) {
        return read(task, "select count(*) from scheduled_tasks where task_name = :task and not picked and execution_time <= now()");
    }

    double oldestDueSeconds(String task) {
        return read(task, "select coalesce(extract(epoch from now() - min(execution_time)), 0) from scheduled_tasks "
                + "where task_name = :task and not picked and execution_time <= now()");
    }

    private double read(String task, String sql) {
        try {
            return jdbc.sql(sql).param("task", task).query(Number.class).single().doubleValue();
        }
        catch (DataAccessException ex) {
            log.debug("Job backlog not readable: {}", ex.getMessage());
            return Double.NaN;
        }
    }
}
