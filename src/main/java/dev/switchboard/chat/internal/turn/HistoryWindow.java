package dev.switchboard.chat.internal.turn;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;

/**
 * Stage 3: what the model sees of the conversation — as many recent messages as fit the token budget, and a
 * running summary of the older ones (kept on the session, extended as more turns fall out of the window).
 * The stored history itself is never shortened.
 */
@Component
class HistoryWindow {

    /** The most messages considered for the window; older ones are covered by the summary. */
    static final int MOST_RECENT = 400;

    record Window(List<LlmMessage> turns, String summary) {
    }

    private final Summarizer summarizer;

    HistoryWindow(Summarizer summarizer) {
        this.summarizer = summarizer;
    }

    /**
     * The window over the session's {@code recent} messages (oldest first, at most {@link #MOST_RECENT}, read with
     * the session by {@link SessionStage}).
     */
    Window build(ChatSession session, List<ChatMessage> recent, Chain chain, long budgetTokens) {
        if (recent.isEmpty()) {
            return new Window(List.of(), null);
        }
        List<ChatMessage> kept = fit(recent, budgetTokens);
        long droppedThrough = (kept.isEmpty() ? recent.getLast().seq() + 1 : kept.getFirst().seq()) - 1;
        if (droppedThrough <= 0) {
            return new Window(turns(kept), null);
        }
        long summaryBudget = Math.max(64, Math.min(budgetTokens / 4, 1_000));
        kept = fit(recent, Math.max(0, budgetTokens - summaryBudget));
        droppedThrough = (kept.isEmpty() ? recent.getLast().seq() + 1 : kept.getFirst().seq()) - 1;
        String summary = session.summaryThrough() >= droppedThrough ? session.summary()
                : summarizer.extend(session, droppedThrough, chain, summaryBudget);
        return new Window(turns(kept), summary);
    }

    /** The newest messages that fit, oldest first. */
    private static List<ChatMessage> fit(List<ChatMessage> recent, long budget) {
        List<ChatMessage> kept = new ArrayList<>();
        long used = 0;
        for (int i = recent.size() - 1; i >= 0; i--) {
            ChatMessage message = recent.get(i);
            long cost = LlmRequest.estimateTokens(message.content()) + 5;
            if (used + cost > budget) {
                break;
            }
            used += cost;
            kept.addFirst(message);
        }
        return kept;
    }

    private static List<LlmMessage> turns(List<ChatMessage> messages) {
        return messages.stream().filter(ChatMessage::inContext)
                .map(m -> ChatMessage.USER.equals(m.role()) ? LlmMessage.user(m.content()) : LlmMessage.assistant(m.content()))
                .toList();
    }
}
