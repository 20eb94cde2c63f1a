package dev.switchboard.chat.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.shared.Traces;

/** What a model sees of a conversation: the newest messages that fit, and a summary of the rest. */
class HistoryWindowTests {

    /** 27 characters: 10 estimated tokens, 15 with the per-message overhead. */
    static final String TEXT = "a message of twenty-seven..";
    static final long COST = 15;

    /** A summarizer that writes a recognisable summary and remembers what it was asked; it needs no database. */
    static final class RecordingSummarizer extends Summarizer {

        final List<long[]> calls = new ArrayList<>();

        RecordingSummarizer() {
            super(null, null, null, Traces.none());
        }

        @Override
        String extend(Caller caller, ChatSession session, long through, Chain chain, long budgetTokens) {
            calls.add(new long[] {through, budgetTokens});
            return "summary through " + through;
        }
    }

    final RecordingSummarizer summarizer = new RecordingSummarizer();
    final HistoryWindow window = new HistoryWindow(summarizer);

    static ChatMessage message(long seq) {
        return new ChatMessage(UUID.randomUUID(), seq, seq % 2 == 1 ? ChatMessage.USER : ChatMessage.ASSISTANT, TEXT,
                ChatMessage.COMPLETE, null, 1, null, null, null, null, null, List.of(), null, Instant.EPOCH);
    }

    static List<ChatMessage> messages(int count) {
        return LongStream.rangeClosed(1, count).mapToObj(HistoryWindowTests::message).toList();
    }

    static ChatSession session(String summary, long summaryThrough) {
        return new ChatSession(UUID.randomUUID(), UUID.randomUUID(), null, "t", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
                summary, summaryThrough);
    }

    HistoryWindow.Window build(ChatSession session, List<ChatMessage> recent, long budget) {
        return window.build(null, session, recent, Chain.parse(""), budget, true);
    }

    @Test
    void aConversationThatFitsIsSentWholeWithoutASummary() {
        HistoryWindow.Window built = build(session(null, 0), messages(4), 4 * COST);

        assertThat(built.turns()).hasSize(4).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.USER,
                LlmMessage.Role.ASSISTANT, LlmMessage.Role.USER, LlmMessage.Role.ASSISTANT);
        assertThat(built.summary()).isNull();
        assertThat(summarizer.calls).isEmpty();
    }

    @Test
    void noMessagesMakeTheEmptyWindow() {
        assertThat(build(session(null, 0), List.of(), 1_000)).isSameAs(HistoryWindow.Window.EMPTY);
    }

    @Test
    void olderMessagesAreSummarisedInAQuarterOfTheBudgetAndTheNewestKept() {
        // 10 messages of 15 tokens, 100 tokens: 64 (the floor) go to the summary, so 2 messages fit the 36 left.
        HistoryWindow.Window built = build(session(null, 0), messages(10), 100);

        assertThat(built.turns()).hasSize(2);
        assertThat(built.summary()).isEqualTo("summary through 8");
        assertThat(summarizer.calls).singleElement().satisfies(call -> assertThat(call).containsExactly(8, 64));
    }

    @Test
    void theSummaryBudgetIsAQuarterOfTheWindowUpToAThousandTokens() {
        build(session(null, 0), messages(400), 2_000);
        build(session(null, 0), messages(400), 5_000);

        assertThat(summarizer.calls).extracting(call -> call[1]).containsExactly(500L, 1_000L);
    }

    @Test
    void aSummaryAlreadyCoveringTheDroppedMessagesIsReused() {
        HistoryWindow.Window built = build(session("what was said before", 8), messages(10), 100);

        assertThat(built.summary()).isEqualTo("what was said before");
        assertThat(summarizer.calls).isEmpty();
    }

    @Test
    void aSummaryThatStopsShortIsExtended() {
        HistoryWindow.Window built = build(session("older", 5), messages(10), 100);

        assertThat(built.summary()).isEqualTo("summary through 8");
        assertThat(summarizer.calls).singleElement().satisfies(call -> assertThat(call[0]).isEqualTo(8));
    }

    @Test
    void theWindowNeverStartsInsideAToolExchange() {
        // The budget reaches back into the tool results: they go, with nothing left to answer them.
        List<ChatMessage> turn = ToolHistoryTests.TURN;
        long answerAndOneResult = (turn.get(5).content().length() / 3 + 1 + 5) + (turn.get(4).content().length() / 3 + 1 + 5);

        HistoryWindow.Window built = window.build(null, session("earlier", 0), turn, Chain.parse(""), answerAndOneResult + 64, true);

        assertThat(built.turns()).extracting(LlmMessage::role).containsExactly(LlmMessage.Role.ASSISTANT);
        assertThat(built.turns().getFirst().content()).isEqualTo(turn.get(5).content());
    }
}
