package dev.switchboard.chat.internal.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.switchboard.chat.internal.history.ChatHistory;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.chat.internal.history.SessionSearch;
import dev.switchboard.identity.Callers;
import dev.switchboard.shared.SwitchboardException;

/** The caller's sessions: another user's (or tenant's) session is 404, like one that does not exist. */
@Service
class Sessions {

    private final ChatHistory history;

    Sessions(ChatHistory history) {
        this.history = history;
    }

    @Transactional(readOnly = true)
    List<ChatSession> list(UUID userId, Instant before, UUID beforeId, int limit) {
        return history.sessions(userId, before, beforeId, limit);
    }

    /** The user's sessions whose title or messages have every word of {@code text} (each as a prefix). */
    @Transactional(readOnly = true)
    List<ChatSession> search(UUID userId, String text, Instant before, UUID beforeId, int limit) {
        String words = SessionSearch.query(text).orElseThrow(() -> new SwitchboardException(HttpStatus.BAD_REQUEST, "bad-request",
                "q: give at least one word (letters or digits) to search for, or leave q out to list every session."));
        return history.search(userId, words, before, beforeId, limit);
    }

    @Transactional(readOnly = true)
    ChatSession mine(UUID id) {
        return history.session(id, Callers.require().userId()).orElseThrow(() -> new SwitchboardException(HttpStatus.NOT_FOUND,
                "not-found", "There is no session " + id + "."));
    }

    @Transactional(readOnly = true)
    List<ChatMessage> messages(UUID id, long after, int limit) {
        return history.ownPage(id, Callers.require().userId(), after, limit).orElseThrow(() -> new SwitchboardException(
                HttpStatus.NOT_FOUND, "not-found", "There is no session " + id + "."));
    }

    @Transactional(readOnly = true)
    List<ChatMessage> all(UUID id) {
        mine(id);
        List<ChatMessage> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<ChatMessage> page = history.page(id, after, 1_000);
            all.addAll(page);
            if (page.size() < 1_000) {
                return all;
            }
            after = page.getLast().seq();
        }
    }

    @Transactional
    ChatSession rename(UUID id, String title) {
        mine(id);
        history.rename(id, title);
        return mine(id);
    }

    @Transactional
    void delete(UUID id) {
        mine(id);
        history.delete(id);
    }
}
