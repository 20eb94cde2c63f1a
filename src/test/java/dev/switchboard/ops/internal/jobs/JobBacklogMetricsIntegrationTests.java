package dev.switchboard.ops.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/**
 * The backlog gauges read the shared job table: only jobs that are due and that no worker has picked count, and the
 * oldest one's wait is measured by the database's clock. Rows of a task no worker knows stay unpicked, so the counts
 * are exact while the application's scheduler runs.
 */
@IntegrationTest
class JobBacklogMetricsIntegrationTests {

    private static final String TASK = "backlog-metrics-test";

    @Autowired
    JobBacklogMetrics backlog;

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @AfterEach
    void removeRows() {
        jdbc.sql("delete from scheduled_tasks where task_name = ?").param(TASK).update();
    }

    @Test
    void countsDueUnpickedJobsAndTheOldestWait() {
        insert("waiting-5-minutes", "now() - interval '5 minutes'", false);
        insert("waiting-1-minute", "now() - interval '1 minute'", false);
        insert("not-due-yet", "now() + interval '1 hour'", false);
        insert("running", "now() - interval '2 hours'", true);

        assertThat(backlog.due(TASK)).isEqualTo(2);
        assertThat(backlog.oldestDueSeconds(TASK)).isBetween(300.0, 3600.0);
    }

    @Test
    void anEmptyBacklogIsZeroNotMissing() {
        assertThat(backlog.due(TASK)).isZero();
        assertThat(backlog.oldestDueSeconds(TASK)).isZero();
    }

    @Test
    void theIngestionBacklogIsExported() {
        String metrics = new HttpTestClient(port).get("/metrics").body();
        assertThat(metrics).contains("switchboard_jobs_due{application=\"switchboard\",task=\"ingest-document\"}",
                "switchboard_jobs_oldest_due_seconds{application=\"switchboard\",task=\"ingest-document\"}");
    }

    private void insert(String instance, String executionTime, boolean picked) {
        jdbc.sql("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version) values (?, ?, "
                + executionTime + ", ?, 1)").params(TASK, instance, picked).update();
    }
}
