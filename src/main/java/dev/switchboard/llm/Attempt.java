package dev.switchboard.llm;

/**
 * One try at one target: what happened and how long it took. Retries of the same target are attempts of
 * their own.
 */
public record Attempt(Target target, AttemptOutcome outcome, long latencyMs) {
}
