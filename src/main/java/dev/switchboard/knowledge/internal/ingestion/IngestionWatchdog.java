package dev.switchboard.knowledge.internal.ingestion;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.switchboard.knowledge.internal.parsing.Deadline;

/**
 * Fails an ingestion attempt that is past its time budget even while its worker is blocked (a stalled provider
 * call, a parser inside a library): the document is marked failed with the reason at once, so it stops counting as
 * in progress, and the worker's own checks (between batches, in the parsers) end the attempt when it comes back.
 * The heartbeat that keeps the job from being revived no longer keeps it "in progress" for ever. Decisions are
 * made on the injected clock; the check runs every second.
 * <p>
 * The worker thread is not interrupted: an interrupt inside the index's file I/O would close the Lucene writer.
 */
@Component
class IngestionWatchdog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IngestionWatchdog.class);

    private record Watched(UUID tenantId, UUID documentId, Deadline deadline) {
    }

    private final Map<UUID, Watched> watched = new ConcurrentHashMap<>();
    private final IngestionPipeline pipeline;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ingestion-watchdog").factory());

    IngestionWatchdog(IngestionPipeline pipeline, Clock clock) {
        this.pipeline = pipeline;
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    /** An attempt being watched; closing it ends the watch. */
    interface Watch extends AutoCloseable {

        @Override
        void close();
    }

    /** Watches one attempt until the returned handle is closed. */
    Watch watch(UUID tenantId, UUID documentId, Deadline deadline) {
        watched.put(documentId, new Watched(tenantId, documentId, deadline));
        return () -> watched.remove(documentId);
    }

    Clock clock() {
        return clock;
    }

    void check() {
        for (Watched attempt : watched.values()) {
            if (attempt.deadline().passed() && watched.remove(attempt.documentId(), attempt)) {
                try {
                    pipeline.timedOut(attempt.tenantId(), attempt.documentId(), attempt.deadline().reason());
                }
                catch (RuntimeException ex) {
                    log.warn("Document {} is past its time budget but could not be marked failed ({}); its worker will",
                            attempt.documentId(), ex.toString());
                }
            }
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
