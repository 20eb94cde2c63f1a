package dev.switchboard.knowledge.internal.parsing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When an ingestion attempt must have finished ({@code switchboard.knowledge.job-timeout}), on the injected clock.
 * Parsers check it as they extract text, the pipeline between batches; past it the attempt fails with
 * {@link #reason()}.
 */
public final class Deadline {

    private static final Deadline NONE = new Deadline(Clock.systemUTC(), Instant.MAX, Duration.ZERO);

    private final Clock clock;
    private final Instant at;
    private final Duration budget;

    private Deadline(Clock clock, Instant at, Duration budget) {
        this.clock = clock;
        this.at = at;
        this.budget = budget;
    }

    /** The budget from now on the clock. */
    public static Deadline after(Clock clock, Duration budget) {
        return new Deadline(clock, clock.instant().plus(budget), budget);
    }

    /** No time limit (tools and tests that parse without a job). */
    public static Deadline none() {
        return NONE;
    }

    public boolean passed() {
        return at != Instant.MAX && !clock.instant().isBefore(at);
    }

    public Instant at() {
        return at;
    }

    /** What the document's error says when the budget is spent. */
    public String reason() {
        return reason(budget);
    }

    public static String reason(Duration budget) {
        return "Ingestion took longer than its time budget of " + budget.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                + " (switchboard.knowledge.job-timeout) and was stopped; the file may be built to stall parsers. "
                + "Split it into smaller documents, or raise the budget if it is genuine.";
    }
}
