package dev.switchboard.llm;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How one attempt at one target ended. These kinds — never a provider's own error text — are what results,
 * health reports, logs and metrics show.
 */
public enum AttemptOutcome {

    /** The target answered. */
    ANSWERED,
    /** The target lacks what the request needs (tool calling, context length) and was not tried. */
    SKIPPED_CAPABILITY,
    /** The target's circuit breaker is open: it failed recently and is left alone for a while. */
    BREAKER_OPEN,
    /** The chain names a provider that is not configured. */
    UNKNOWN_PROVIDER,
    /**
     * Switchboard refused to connect: the provider's host resolved to an address the outbound policy forbids
     * (checked on every connection, see {@code shared.OutboundConnections}). Not the target's health.
     */
    DESTINATION_REFUSED,
    /** The connection could not be made (refused, unreachable, connect timeout). */
    CONNECT_FAILED,
    /** No first token (or no answer) within the target's timeouts. */
    TIMEOUT,
    /** The provider answered 429. */
    RATE_LIMITED,
    /** The provider answered 5xx. */
    SERVER_ERROR,
    /** The provider refused the credentials (401/403). */
    AUTH_FAILED,
    /** The provider refused the request (other 4xx, e.g. an unknown model). */
    REQUEST_REJECTED,
    /** The connection dropped before a complete answer. */
    CONNECTION_RESET,
    /** The provider's answer could not be understood. */
    MALFORMED_RESPONSE,
    /** A stream failed after its first token; the partial answer is kept, marked incomplete. */
    STREAM_INTERRUPTED,
    /** Anything else; details are in the server log. */
    FAILED;

    /** The kind as written in JSON, logs and metric tags: {@code rate_limited}. */
    @JsonValue
    public String kind() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the same target may be tried again after a backoff. */
    public boolean retryable() {
        return switch (this) {
            case CONNECT_FAILED, TIMEOUT, RATE_LIMITED, SERVER_ERROR, CONNECTION_RESET -> true;
            default -> false;
        };
    }

    /** Whether the outcome says the target is unwell (it counts against its circuit breaker). */
    public boolean countsAgainstTarget() {
        return switch (this) {
            case CONNECT_FAILED, TIMEOUT, RATE_LIMITED, SERVER_ERROR, AUTH_FAILED, CONNECTION_RESET, MALFORMED_RESPONSE,
                    STREAM_INTERRUPTED, FAILED -> true;
            default -> false;
        };
    }
}
