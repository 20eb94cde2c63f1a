package dev.switchboard.metering;

/**
 * The outcome of asking a limit for tokens, with what the {@code RateLimit-*} and {@code Retry-After}
 * headers need.
 *
 * @param allowed whether the tokens were taken
 * @param limit the limit asked
 * @param remaining tokens left after the decision
 * @param resetSeconds seconds until the bucket is full again
 * @param retryAfterSeconds when refused, seconds until enough tokens are back (at least 1)
 */
public record RateDecision(boolean allowed, Limit limit, long remaining, long resetSeconds, long retryAfterSeconds) {
}
