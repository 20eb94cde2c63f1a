package dev.switchboard.chat.internal.turn;

import java.util.List;

import dev.switchboard.llm.Passage;
import dev.switchboard.llm.ToolCall;

/**
 * One tool call of a turn and its result as the model was sent it.
 *
 * @param call the call as the model asked for it
 * @param content what the tool returned (its text; for an error, what went wrong), cut like {@code result}
 * @param result what the model was sent back: delimited as untrusted data, cut to
 *        {@code switchboard.chat.max-tool-result-chars}
 * @param error whether the call failed (unknown or not allowed tool, bad arguments, timeout, a failing dependency)
 * @param passages the passages of the result, numbered after those the turn already had (citable)
 */
public record ToolExchange(ToolCall call, String content, String result, boolean error, List<Passage> passages) {

    public ToolExchange {
        passages = passages == null ? List.of() : List.copyOf(passages);
    }

    /** The start of what the tool returned, for a client's progress display. */
    public String preview(int characters) {
        return content.length() <= characters ? content : content.substring(0, characters) + "\u2026";
    }
}
