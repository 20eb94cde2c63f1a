package dev.switchboard.chat.internal.turn;

import java.util.List;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmTool;

/**
 * What a client says in one turn of a stored session. {@code /api/chat} sends one user message; the Responses API
 * ({@code /v1/responses}) may send several input items: user messages, the tool calls the model asked for earlier
 * and the results of the client's own tools.
 *
 * @param messages the new messages in order. System messages (the request's {@code instructions}) apply to this turn
 *        only and are not stored; every other message joins the session's history.
 * @param clientTools the client's own tools, offered instead of the persona's (empty: none at all); null when the
 *        persona's tools run inside Switchboard
 * @param temperature the request's temperature, or null for the persona's
 * @param maxTokens the request's answer limit, or null for the persona's
 */
public record TurnInput(List<LlmMessage> messages, List<LlmTool> clientTools, Double temperature, Integer maxTokens) {

    public TurnInput {
        messages = List.copyOf(messages);
        clientTools = clientTools == null ? null : List.copyOf(clientTools);
    }

    /** One user message, answered with the persona's settings and tools. */
    public static TurnInput message(String message) {
        return new TurnInput(List.of(LlmMessage.user(message)), null, null, null);
    }

    /** The last user message of the input, or null when it has none (only tool results). */
    String question() {
        return messages.reversed().stream().filter(m -> m.role() == LlmMessage.Role.USER).map(LlmMessage::content).findFirst()
                .orElse(null);
    }

    /** The messages that join the history: all but the system ones. */
    List<LlmMessage> stored() {
        return messages.stream().filter(m -> m.role() != LlmMessage.Role.SYSTEM).toList();
    }
}
