package dev.switchboard.llm;

import java.util.function.Consumer;

/**
 * Sends requests through a chain of targets: each target with its timeouts, bounded retries and circuit
 * breaker; failing over to the next target; the local extractive responder last. Runs in the caller's
 * tenant: runtime providers of that tenant are visible, and token usage is published as {@link TokensUsed}.
 */
public interface LlmRouter {

    /** The chain used when a persona names none ({@code switchboard.llm.default-chain}). */
    Chain defaultChain();

    /**
     * The context window, in tokens, a prompt for this chain should fit: the smallest configured
     * context length among its targets (any of them may end up answering), or {@code fallback} when none
     * is configured.
     */
    int contextTokens(Chain chain, int fallback);

    /**
     * Answers the request.
     *
     * @throws LlmUnavailableException when every provider target failed and the local responder has nothing
     *         to quote
     */
    LlmResult generate(Chain chain, LlmRequest request);

    /**
     * Answers the request as a stream: {@code onDelta} receives the text as it arrives, then the result is
     * returned. Failover happens only before the first token; a failure after it returns the partial text
     * with {@link LlmResult#complete()} false and a last attempt of {@link AttemptOutcome#STREAM_INTERRUPTED}.
     *
     * @throws LlmUnavailableException when nothing was streamed and every target failed
     */
    LlmResult stream(Chain chain, LlmRequest request, Consumer<String> onDelta);
}
