package dev.switchboard.ops.internal.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.switchboard.shared.RetentionTask;

/**
 * The retention job: every {@code switchboard.retention.interval}, each module's {@link RetentionTask} deletes its
 * rows older than their retention, one small batch per transaction until none is left, so live traffic never waits
 * on a long delete. Every replica runs it; the batches lock with {@code skip locked}, so replicas share the work.
 * A failing task is logged and retried at the next run without stopping the others.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
class RetentionJob implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final List<RetentionTask> tasks;
    private final RetentionProperties properties;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("retention").daemon().factory());

    RetentionJob(List<RetentionTask> tasks, RetentionProperties properties, Clock clock) {
        this.tasks = List.copyOf(tasks);
        this.properties = properties;
        this.clock = clock;
        // Fails the start-up when a task names a setting that does not exist.
        this.tasks.forEach(task -> properties.of(task.setting()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long interval = properties.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** One run of every task; returns how many rows each deleted, by setting. */
    Map<String, Integer> run() {
        Instant now = clock.instant();
        Map<String, Integer> purged = new LinkedHashMap<>();
        for (RetentionTask task : tasks) {
            try {
                purged.put(task.setting(), purgeAll(task, now.minus(properties.of(task.setting()))));
            }
            catch (RuntimeException ex) {
                log.warn("Purging old {} failed; retrying at the next run", task.description(), ex);
            }
        }
        return purged;
    }

    private int purgeAll(RetentionTask task, Instant cutoff) {
        int total = 0;
        int purged;
        do {
            purged = task.purge(cutoff, properties.batch());
            total += purged;
        } while (purged > 0);
        if (total > 0) {
            log.info("Purged {} {} older than switchboard.retention.{}", total, task.description(), task.setting());
        }
        return total;
    }

    private void runQuietly() {
        try {
            run();
        }
        catch (RuntimeException ex) {
            log.warn("The retention job failed; retrying at the next run", ex);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
