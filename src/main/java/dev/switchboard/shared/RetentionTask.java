package dev.switchboard.shared;

import java.time.Instant;

/**
 * Rows a module keeps only for a while (refresh tokens, audit events, usage). Modules contribute
 * implementations as beans; the retention job ({@code ops}) calls each on a schedule with the cutoff of its
 * {@code switchboard.retention.<setting>} until it returns 0.
 */
public interface RetentionTask {

    /** The setting under {@code switchboard.retention} that says how long the rows are kept, e.g. {@code audit-events}. */
    String setting();

    /** What the rows are, for logs: {@code "audit events"}. */
    String description();

    /**
     * Deletes, in one short transaction of its own, at most {@code batch} rows older than {@code cutoff} (of every
     * tenant), skipping rows another replica's batch holds; returns how many it deleted.
     */
    int purge(Instant cutoff, int batch);
}
