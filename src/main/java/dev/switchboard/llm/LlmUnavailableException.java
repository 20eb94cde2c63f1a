package dev.switchboard.llm;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.switchboard.shared.SwitchboardException;

/**
 * Every provider target of a chain failed and there was nothing the local responder could quote. The
 * status says what happened to them: 504 when they timed out, 503 when they were unavailable (breaker
 * open, rate limited, not configured), 502 otherwise. The problem lists the attempts by kind, never the
 * providers' own error text.
 */
public final class LlmUnavailableException extends SwitchboardException {

    private final transient List<Attempt> attempts;

    public LlmUnavailableException(List<Attempt> attempts) {
        super(statusFor(attempts), "llm-unavailable", detailFor(attempts));
        this.attempts = List.copyOf(attempts);
        getBody().setProperty("attempts", this.attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    private static HttpStatus statusFor(List<Attempt> attempts) {
        List<AttemptOutcome> failures = attempts.stream().map(Attempt::outcome)
                .filter(outcome -> outcome != AttemptOutcome.SKIPPED_CAPABILITY).toList();
        if (!failures.isEmpty() && failures.stream().allMatch(outcome -> outcome == AttemptOutcome.TIMEOUT)) {
            return HttpStatus.GATEWAY_TIMEOUT;
        }
        if (failures.stream().allMatch(outcome -> outcome == AttemptOutcome.BREAKER_OPEN
                || outcome == AttemptOutcome.RATE_LIMITED || outcome == AttemptOutcome.UNKNOWN_PROVIDER)) {
            return HttpStatus.SERVICE_UNAVAILABLE;
        }
        return HttpStatus.BAD_GATEWAY;
    }

    private static String detailFor(List<Attempt> attempts) {
        if (attempts.stream().allMatch(attempt -> attempt.outcome() == AttemptOutcome.SKIPPED_CAPABILITY)) {
            return "No target of the chain can serve this request (it needs tool calling or a larger context "
                    + "than the configured models offer).";
        }
        String kinds = String.join(", ", attempts.stream().map(attempt -> attempt.target() + " " + attempt.outcome().kind())
                .distinct().toList());
        return "No language model could answer (" + kinds + "). Try again shortly; an administrator can see "
                + "provider health at GET /api/providers/health.";
    }
}
