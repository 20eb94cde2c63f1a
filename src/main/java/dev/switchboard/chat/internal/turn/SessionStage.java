package dev.switchboard.chat.internal.turn;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.chat.internal.ChatProperties;
import dev.switchboard.chat.internal.history.ChatHistory;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Caller;
import dev.switchboard.persona.Persona;
import dev.switchboard.shared.SwitchboardException;

/**
 * Stage 2: the session the turn belongs to — a new one without a session id; with one, the caller's own,
 * still alive and with the same persona — read with its most recent messages for the history window. Sessions belong to their user (an API key's: its owner's).
 */
@Component
class SessionStage {

    private final ChatHistory history;
    private final ChatProperties properties;
    private final Clock clock;

    SessionStage(ChatHistory history, ChatProperties properties, Clock clock) {
        this.history = history;
        this.properties = properties;
        this.clock = clock;
    }

    /** The session and its most recent messages, oldest first (none for a new session). */
    record Opened(ChatSession session, List<ChatMessage> recent) {
    }

    /** The session (created, or checked) with its recent messages, in one transaction. */
    @Transactional
    Opened open(Caller caller, Persona persona, UUID sessionId, String firstMessage) {
        Instant now = clock.instant();
        if (sessionId == null) {
            return new Opened(history.create(caller.userId(), persona.id(), title(firstMessage), now,
                    now.plus(properties.sessionTtl())), List.of());
        }
        ChatHistory.SessionWithRecent found = history.sessionWithRecent(sessionId, caller.userId(), HistoryWindow.MOST_RECENT)
                .orElseThrow(() -> notFound(sessionId));
        ChatSession session = found.session();
        if (session.expiredAt(now)) {
            throw new SwitchboardException(HttpStatus.GONE, "session-expired", "Session " + sessionId + " expired at "
                    + session.expiresAt() + " after " + properties.sessionTtl() + " without activity; start a new one "
                    + "(send no sessionId). Its history can still be read until it is purged.");
        }
        if (!session.personaId().equals(persona.id())) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "session-agent-mismatch", "Session " + sessionId
                    + " is a conversation with another agent; continue it with that agent or start a new session.");
        }
        return new Opened(session, found.recent());
    }

    static SwitchboardException notFound(UUID sessionId) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no session " + sessionId + ".");
    }

    static String title(String message) {
        String line = message.strip().replaceAll("\\s+", " ");
        return line.length() <= 80 ? line : line.substring(0, 79) + "\u2026";
    }
}
