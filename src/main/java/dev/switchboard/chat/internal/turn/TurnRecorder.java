package dev.switchboard.chat.internal.turn;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.chat.internal.history.ChatHistory;
import dev.switchboard.chat.internal.history.ChatHistory.NewMessage;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.llm.Attempt;
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.llm.LlmResult;

/**
 * Stage 8: the turn into the history, in one transaction — the user's message with the answer, or, when no
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

    /** The user's message and the answer; returns the stored answer. */
    @Transactional
    ChatMessage answered(ChatSession session, String message, int personaVersion, LlmResult result, List<MessageCitation> citations,
            long latencyMs) {
        NewMessage answer = new NewMessage(ChatMessage.ASSISTANT, result.content(),
                result.complete() ? ChatMessage.COMPLETE : ChatMessage.INCOMPLETE,
                result.complete() ? null : "stream_interrupted", personaVersion, result.target().toString(), result.failover(),
                Math.toIntExact(Math.min(result.usage().inputTokens(), Integer.MAX_VALUE)),
                Math.toIntExact(Math.min(result.usage().outputTokens(), Integer.MAX_VALUE)),
                Math.toIntExact(Math.min(latencyMs, Integer.MAX_VALUE)), citations, result.attempts());
        return append(session, List.of(NewMessage.user(message, ChatMessage.COMPLETE, null, personaVersion), answer)).getLast();
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
