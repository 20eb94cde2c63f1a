package dev.switchboard.chat.internal.turn;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.chat.internal.history.ChatHistory;
import dev.switchboard.chat.internal.history.ChatHistory.NewMessage;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.llm.Attempt;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.ToolCall;

/**
 * Stage 8: the turn into the history, in one transaction — the user's message (or the client's input items) with the tool
 * calls and the answer, or, when no answer came, the user's message marked failed with the reason. Never half a turn.
 */
@Component
class TurnRecorder {

    private final ChatHistory history;
    private final ChatProperties properties;
    private final Clock clock;

    TurnRecorder(ChatHistory history, ChatProperties properties, Clock clock) {
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The user's message, every tool call and result of the turn in the order they happened, and the answer (with the
     * tokens of every model call of the turn); returns the stored answer.
     */
    @Transactional
    ChatMessage answered(ChatSession session, List<LlmMessage> asked, int personaVersion, ToolLoop.Outcome outcome,
            List<MessageCitation> citations, long latencyMs) {
        LlmResult result = outcome.result();
        List<NewMessage> messages = new ArrayList<>(asked(asked, personaVersion, null));
        for (ToolExchange exchange : outcome.exchanges()) {
            ToolCall call = exchange.call();
            messages.add(toolCall(call, personaVersion));
            messages.add(NewMessage.tool(ChatMessage.TOOL_RESULT, exchange.result(), personaVersion,
                    new ChatMessage.ToolPart(call.name(), call.id(), exchange.error(), null)));
        }
        // The client's own tools the model asks for (the Responses API): the client runs them and sends the results next turn.
        for (ToolCall call : result.toolCalls()) {
            messages.add(toolCall(call, personaVersion));
        }
        messages.add(new NewMessage(ChatMessage.ASSISTANT, result.content(),
                result.complete() ? ChatMessage.COMPLETE : ChatMessage.INCOMPLETE,
                result.complete() ? null : "stream_interrupted", personaVersion, result.target().toString(), result.failover(),
                Math.toIntExact(Math.min(outcome.usage().inputTokens(), Integer.MAX_VALUE)),
                Math.toIntExact(Math.min(outcome.usage().outputTokens(), Integer.MAX_VALUE)),
                Math.toIntExact(Math.min(latencyMs, Integer.MAX_VALUE)), citations, result.attempts()));
        return append(session, messages).getLast();
    }

    /** The user's message and the part of the answer that was streamed before the client went away. */
    @Transactional
    ChatMessage abandoned(ChatSession session, List<LlmMessage> asked, int personaVersion, String partial, long latencyMs) {
        List<NewMessage> messages = new ArrayList<>(asked(asked, personaVersion, null));
        messages.add(new NewMessage(ChatMessage.ASSISTANT, partial, ChatMessage.INCOMPLETE, "client_disconnected",
                personaVersion, null, null, null, null, Math.toIntExact(Math.min(latencyMs, Integer.MAX_VALUE)), List.of(), null));
        return append(session, messages).getLast();
    }

    /** The user's message, marked failed: no target answered. */
    @Transactional
    ChatMessage failed(ChatSession session, List<LlmMessage> asked, int personaVersion, List<Attempt> attempts) {
        String reason = "llm_unavailable: " + attempts.stream().map(a -> a.target() + " " + a.outcome().kind()).distinct()
                .collect(Collectors.joining(", "));
        return append(session, asked(asked, personaVersion, reason)).getLast();
    }

    /**
     * The client's input as stored: user messages (marked failed with {@code failure} when no answer came), the tool
     * calls it echoes and the results of its tools. Tool results stay in context even when the turn failed: the calls
     * they answer are in the history already, and a call without its result is refused by every provider.
     */
    private static List<NewMessage> asked(List<LlmMessage> asked, int personaVersion, String failure) {
        List<NewMessage> messages = new ArrayList<>();
        for (LlmMessage message : asked) {
            switch (message.role()) {
                case USER -> messages.add(NewMessage.user(message.content(), failure == null ? ChatMessage.COMPLETE
                        : ChatMessage.FAILED, failure, personaVersion));
                case TOOL -> messages.add(NewMessage.tool(ChatMessage.TOOL_RESULT, message.content(), personaVersion,
                        new ChatMessage.ToolPart(message.toolName(), message.toolCallId(), false, null)));
                case ASSISTANT -> {
                    if (!message.content().isBlank()) {
                        messages.add(new NewMessage(ChatMessage.ASSISTANT, message.content(), ChatMessage.COMPLETE, null,
                                personaVersion, null, null, null, null, null, List.of(), null));
                    }
                    message.toolCalls().forEach(call -> messages.add(toolCall(call, personaVersion)));
                }
                case SYSTEM -> {
                    // Instructions of one request are not part of the conversation.
                }
            }
        }
        return messages;
    }

    private static NewMessage toolCall(ToolCall call, int personaVersion) {
        return NewMessage.tool(ChatMessage.TOOL_CALL, call.arguments(), personaVersion,
                new ChatMessage.ToolPart(call.name(), call.id(), null, call.signature()));
    }

    private List<ChatMessage> append(ChatSession session, List<NewMessage> messages) {
        Instant now = clock.instant();
        List<ChatMessage> stored = history.append(session.id(), messages, now, now.plus(properties.sessionTtl()));
        if (session.title().isEmpty()) {
            history.titleIfEmpty(session.id(), SessionStage.title(messages.getFirst().content()));
        }
        return stored;
    }
}
