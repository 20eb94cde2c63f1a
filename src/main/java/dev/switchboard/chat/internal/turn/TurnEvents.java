package dev.switchboard.chat.internal.turn;

import dev.switchboard.llm.ToolCall;

/**
 * What a streamed turn tells its client as it happens: the tools the model calls and what they returned (before
 * the answer), then the answer's text as it arrives. Called on the turn's thread, in that order.
 */
public interface TurnEvents {

    /** A piece of the answer's text. */
    void delta(String text);

    /** The model asked for this call; it is about to run. */
    default void toolCall(ToolCall call) {
    }

    /** A call finished (or failed, or timed out). */
    default void toolResult(ToolExchange exchange) {
    }
}
