package dev.switchboard.chat.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.llm.LlmMessage;

/** Stored tool calls and results as a model reads them again: grouped per step, or written out as text. */
class ToolHistoryTests {

    static ChatMessage message(long seq, String role, String content, ChatMessage.ToolPart tool) {
        return new ChatMessage(UUID.randomUUID(), seq, role, content, ChatMessage.COMPLETE, null, 1, null, null, null, null, null,
                List.of(), null, Instant.now(), tool);
    }

    static final List<ChatMessage> TURN = List.of(
            message(1, ChatMessage.USER, "Weather in Paris and Lyon? " + "Please be precise. ".repeat(15), null),
            message(2, ChatMessage.TOOL_CALL, "{\"city\":\"Paris\"}", new ChatMessage.ToolPart("weather", "c1", null, "c2ln")),
            message(3, ChatMessage.TOOL_CALL, "{\"city\":\"Lyon\"}", new ChatMessage.ToolPart("weather", "c2", null, null)),
            message(4, ChatMessage.TOOL_RESULT, "21 degrees", new ChatMessage.ToolPart("weather", "c1", false, null)),
            message(5, ChatMessage.TOOL_RESULT, "unavailable", new ChatMessage.ToolPart("weather", "c2", true, null)),
            message(6, ChatMessage.ASSISTANT, "Paris is at 21 degrees; Lyon I could not find.", null));

    @Test
    void theCallsOfOneStepAreReplayedAsOneAssistantMessageFollowedByTheirResults() {
        List<LlmMessage> replayed = HistoryWindow.turns(TURN, true);

        assertThat(replayed).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.USER, LlmMessage.Role.ASSISTANT,
                LlmMessage.Role.TOOL, LlmMessage.Role.TOOL, LlmMessage.Role.ASSISTANT);
        assertThat(replayed.get(1).toolCalls()).extracting(call -> call.id() + " " + call.arguments())
                .containsExactly("c1 {\"city\":\"Paris\"}", "c2 {\"city\":\"Lyon\"}");
        assertThat(replayed.get(1).toolCalls().getFirst().signature()).as("Gemini's signature goes back with its call")
                .isEqualTo("c2ln");
        assertThat(replayed.get(2).toolCallId()).isEqualTo("c1");
        assertThat(replayed.get(3).content()).isEqualTo("unavailable");
    }

    @Test
    void withoutToolsTheExchangeIsWrittenOutAsText() {
        List<LlmMessage> flat = HistoryWindow.turns(TURN, false);

        assertThat(flat).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.USER, LlmMessage.Role.ASSISTANT,
                LlmMessage.Role.ASSISTANT);
        assertThat(flat.get(1).toolCalls()).isEmpty();
        assertThat(flat.get(1).content()).contains("I called the tool weather with {\"city\":\"Paris\"}",
                "I called the tool weather with {\"city\":\"Lyon\"}", "The tool weather returned:\n21 degrees", "unavailable");
    }

    @Test
    void aWindowNeverStartsInsideAToolExchange() {
        HistoryWindow window = new HistoryWindow(null);
        // A budget whose window (after the summary's share) fits the exchange and the answer, but not the user's
        // message before them: the window starts with the answer, not with calls whose question it lost.
        HistoryWindow.Window fitted = window.build(null, new ChatSession(UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), "", Instant.now(), Instant.now(), Instant.now(), "Earlier.", 6),
                TURN, null, 140, true);

        assertThat(fitted.turns()).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.ASSISTANT);
        assertThat(fitted.turns().getFirst().toolCalls()).isEmpty();
    }
}
