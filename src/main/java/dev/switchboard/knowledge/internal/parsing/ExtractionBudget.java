package dev.switchboard.knowledge.internal.parsing;

/**
 * Where extraction spends its limits: every character a parser produces is counted against
 * {@code max-extracted-characters} as it is produced, and the time budget is checked on the way, so a hostile
 * document (a JSON key repeated into every line, a CSV header repeated into every cell, an archive bomb) stops
 * its parser early instead of expanding in memory first. It also counts the characters the text scanners
 * examine ({@link #work()}), so that tests can show each scan is linear in its input.
 */
final class ExtractionBudget {

    /** Thrown through a parser to stop it; the message is the document's error. */
    static final class Exceeded extends RuntimeException {

        Exceeded(String reason) {
            super(reason, null, false, false);
        }
    }

    private final long maxCharacters;
    private final Deadline deadline;
    private long characters;
    private long work;

    ExtractionBudget(long maxCharacters, Deadline deadline) {
        this.maxCharacters = maxCharacters;
        this.deadline = deadline;
    }

    /** Counts {@code count} characters of output; stops the parser once over the limit or past the deadline. */
    void take(long count) {
        characters += count;
        if (characters > maxCharacters) {
            throw new Exceeded(tooLarge(maxCharacters));
        }
        if (deadline.passed()) {
            throw new Exceeded(deadline.reason());
        }
    }

    /** Counts characters examined by a scanner. */
    void scanned(long count) {
        work += count;
    }

    long characters() {
        return characters;
    }

    long work() {
        return work;
    }

    static String tooLarge(long maxCharacters) {
        return "The file expands to more than " + maxCharacters + " characters of text, the limit "
                + "(switchboard.knowledge.max-extracted-characters); split it into smaller documents.";
    }
}
