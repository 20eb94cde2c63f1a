package dev.switchboard.chat.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.chat.internal.history.ChatMessage;

/** The extractive summary quotes the turns, newest kept, and adds nothing of its own. */
class SummarizerTests {

    static ChatMessage message(long seq, String role, String text) {
        return new ChatMessage(UUID.randomUUID(), seq, role, text, ChatMessage.COMPLETE, null, 1, null, null, null, null, null,
                List.of(), null, Instant.now());
    }

    @Test
    void quotesTurnsAndDropsTheOldestWhenOverBudget() {
        String first = Summarizer.extractive(null, List.of(message(1, "user", "My name is Ada."),
                message(2, "assistant", "Hello Ada.")), 1000);
        assertThat(first).isEqualTo("Earlier in this conversation (excerpts):\n- user: \u201cMy name is Ada.\u201d\n"
                + "- assistant: \u201cHello Ada.\u201d");
        String extended = Summarizer.extractive(first, List.of(message(3, "user", "x".repeat(500))), 40);
        assertThat(extended).startsWith("Earlier in this conversation (excerpts):\n").doesNotContain("My name is Ada.")
                .contains("x".repeat(200) + "\u2026");
    }
}
