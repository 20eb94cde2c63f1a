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
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.ToolCall;

/**
 * Stage 8: the turn into the history, in one transaction — the user's message with the tool calls and the answer, or, when no
 * answer came, the user's message marked failed with the reason. Never half a turn.
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
    ChatMessage answered(ChatSession session, String message, int personaVersion, ToolLoop.Outcome outcome,
            List<MessageCitation> citations, long latencyMs) {
        LlmResult result = outcome.result();
        List<NewMessage> messages = new ArrayList<>();
        messages.add(NewMessage.user(message, ChatMessage.COMPLETE, null, personaVersion));
        for (ToolExchange exchange : outcome.exchanges()) {
            ToolCall call = exchange.call();
            messages.add(NewMessage.tool(ChatMessage.TOOL_CALL, call.arguments(), personaVersion,
                    new ChatMessage.ToolPart(call.name(), call.id(), null, call.signature())));
            messages.add(NewMessage.tool(ChatMessage.TOOL_RESULT, exchange.result(), personaVersion,
                    new ChatMessage.ToolPart(call.name(), call.id(), exchange.error(), null)));
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
    ChatMessage abandoned(ChatSession session, String message, int personaVersion, String partial, long latencyMs) {
        NewMessage answer = new NewMessage(ChatMessage.ASSISTANT, partial, ChatMessage.INCOMPLETE, "client_disconnected",
                personaVersion, null, null, null, null, Math.toIntExact(Math.min(latencyMs, Integer.MAX_VALUE)), List.of(), null);
        return append(session, List.of(NewMessage.user(message, ChatMessage.COMPLETE, null, personaVersion), answer)).getLast();
    }

    /** The user's message, marked failed: no target answered. */
    @Transactional
    ChatMessage failed(ChatSession session, String message, int personaVersion, List<Attempt> attempts) {
        String reason = "llm_unavailable: " + attempts.stream().map(a -> a.target() + " " + a.outcome().kind()).distinct()
                .collect(Collectors.joining(", "));
        return append(session, List.of(NewMessage.user(message, ChatMessage.FAILED, reason, personaVersion))).getLast();
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
