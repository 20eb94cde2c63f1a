package dev.switchboard.knowledge.internal.index;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the Lucene index has gone {@code idle} without writes, merges its segments into one. A search runs HNSW and BM25
 * once per segment, so the several segments that ingestion and the index follower leave behind (Lucene's tiered policy
 * keeps about ten a tier) cost a search several graph walks: on 100,000 SciFact chunks in 7 segments, the candidates took
 * 2.5–3× the CPU they take in one segment (see docs/knowledge.md "Segments").
 * <p>
 * Bounded: the index is rewritten only when the chunks outside its largest segment, plus the largest segment's deleted
 * ones, are at least {@link #REWRITE_SHARE} of it, so an index that grows by small writes is rewritten once per fifth of
 * growth, not after every write; a segment much smaller than the largest costs a search little. The merge runs on Lucene's
 * merge thread, writes and searches going on meanwhile; it becomes durable with the commit that follows it, and a crash
 * before that leaves the last commit as it was.
 */
final class IdleMerge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdleMerge.class);

    /**
     * The share of the index outside its largest segment (or deleted in it) from which a merge is worth its rewrite: each
     * chunk is rewritten a few times over the index's growth (a geometric series of ratio 0.8, about 5×).
     */
    static final double REWRITE_SHARE = 0.2;

    private final ScheduledExecutorService scheduler;
    private final long idleNanos;
    private final Runnable merge;
    private volatile long lastWrite = System.nanoTime();
    /** Written since the last merge; true at start, so that an index left in several segments is merged once. */
    private volatile boolean written = true;
    private volatile boolean closed;

    private IdleMerge(Duration idle, Runnable merge) {
        this.idleNanos = idle.toNanos();
        this.merge = merge;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lucene-idle-merge").factory());
        scheduler.scheduleWithFixedDelay(this::check, idleNanos, idleNanos, TimeUnit.NANOSECONDS);
    }

    /** Merges with {@code merge} after {@code idle} without writes; none with a zero {@code idle}. */
    static IdleMerge after(Duration idle, Runnable merge) {
        return idle.isZero() ? null : new IdleMerge(idle, merge);
    }

    /** A write was committed. */
    void written() {
        lastWrite = System.nanoTime();
        written = true;
    }

    private void check() {
        if (closed || !written || System.nanoTime() - lastWrite < idleNanos) {
            return;
        }
        written = false;
        try {
            merge.run();
        }
        catch (RuntimeException ex) {
            written = true;
            if (closed) {
                return; // the index closing cut the merge short
            }
            log.warn("Merging the knowledge index's segments failed; tried again when it is next idle", ex);
        }
    }

    /** Whether merging these segments into one is worth rewriting the index ({@link #REWRITE_SHARE}). */
    static boolean worthMerging(List<LeafReaderContext> segments) {
        if (segments.isEmpty()) {
            return false;
        }
        long total = 0;
        LeafReader largest = segments.getFirst().reader();
        for (LeafReaderContext segment : segments) {
            total += segment.reader().maxDoc();
            if (segment.reader().maxDoc() > largest.maxDoc()) {
                largest = segment.reader();
            }
        }
        long rewritten = total - largest.maxDoc() + largest.numDeletedDocs();
        return total > 0 && rewritten >= REWRITE_SHARE * total;
    }

    /**
     * Stops merging. The merge thread is not interrupted: an interrupt during Lucene's file I/O closes the channel it was
     * using, and when that is the index's lock file (the commit checks it) the lock is lost, so the index's own close fails
     * with "FileLock invalidated by an external force". A merge still running ends when the index rolls its writer back.
     */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdown();
    }
}
