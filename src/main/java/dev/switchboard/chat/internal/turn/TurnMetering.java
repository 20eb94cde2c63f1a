package dev.switchboard.chat.internal.turn;

import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmRouter;
import dev.switchboard.metering.TokenQuota;

/**
 * Every model call of a turn — each tool step, the final answer, the summary of older turns — goes through here:
 * its worst case (prompt estimate + answer limit) is reserved against the caller's daily token quota before the
 * model is called, so that concurrent turns cannot overspend (429 {@code token-quota-exceeded} when it does not
 * fit), and settled with the tokens used once the call is over, whatever way it ended.
 */
@Component
class TurnMetering {

    /** Token budget assumed for an answer when the request sets no limit. */
    static final int DEFAULT_ANSWER_TOKENS = 1024;

    private final TokenQuota quota;
    private final LlmRouter router;

    TurnMetering(TokenQuota quota, LlmRouter router) {
        this.quota = quota;
        this.router = router;
    }

    /**
     * One routed model call, metered: streamed to {@code onDelta} when it is not null. A call that fails is
     * settled with what it streamed (nothing, when it failed before its first token).
     */
    LlmResult generate(Caller caller, Chain chain, LlmRequest request, Consumer<String> onDelta) {
        long answerTokens = request.maxTokens() != null ? request.maxTokens() : DEFAULT_ANSWER_TOKENS;
        Optional<TokenQuota.Reservation> reservation = quota.reserveOrRefuse(caller,
                request.estimatedPromptTokens() + answerTokens, "This turn");
        StringBuilder streamed = new StringBuilder();
        LlmResult result = null;
        try {
            result = onDelta == null ? router.generate(chain, request) : router.stream(chain, request, delta -> {
                streamed.append(delta);
                onDelta.accept(delta);
            });
            return result;
        }
        finally {
            long used = result != null ? result.usage().totalTokens()
                    : streamed.isEmpty() ? 0 : request.estimatedPromptTokens() + LlmRequest.estimateTokens(streamed.toString());
            reservation.ifPresent(r -> quota.settle(r, used));
        }
    }
}
