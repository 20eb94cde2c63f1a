package dev.switchboard.ops.internal.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;

import org.junit.jupiter.api.Test;

class JobBacklogMetricsTests {

    /**
     * The gauges name the knowledge module's ingestion task by its string (ops may not depend on knowledge's internals):
     * if knowledge renames its task, the backlog alert would silently watch nothing.
     */
    @Test
    void theIngestionTaskIsTheOneKnowledgeSchedules() throws ReflectiveOperationException {
        Field task = Class.forName("dev.switchboard.knowledge.internal.ingestion.IngestionJobs").getDeclaredField("TASK");
        task.setAccessible(true);
        assertThat(task.get(null)).isEqualTo(JobBacklogMetrics.INGESTION_TASK);
    }
}
