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
     * Answers the request: with text, or with the tool calls the model asked for when the request offered
     * tools ({@link LlmResult#toolCalls()}). The router never runs a tool: the caller runs them and sends the
     * results in a new request, which is routed on its own.
     *
     * @throws NoToolCapableTargetException when the request offers tools and no target of the chain can call them
     * @throws LlmUnavailableException when every provider target failed and the local responder has nothing
     *         to quote
     */
    LlmResult generate(Chain chain, LlmRequest request);

    /**
     * Answers the request as a stream: {@code onDelta} receives the text as it arrives, then the result is
     * returned, with the tool calls the model asked for assembled from their deltas. Failover happens only
     * before the first token or tool call; a failure after it returns the partial text (and no tool calls)
     * with {@link LlmResult#complete()} false and a last attempt of {@link AttemptOutcome#STREAM_INTERRUPTED}.
     *
     * @throws LlmUnavailableException when nothing was streamed and every target failed
     */
    LlmResult stream(Chain chain, LlmRequest request, Consumer<String> onDelta);
}
