package dev.switchboard.chat.internal.turn;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.ToolCall;

/**
 * Stage 4: what the model sees of the conversation — as many recent messages as fit the token budget, and a
 * running summary of the older ones (kept on the session, extended as more turns fall out of the window).
 * The stored history itself is never shortened.
 */
@Component
class HistoryWindow {

    /** The most messages considered for the window; older ones are covered by the summary. */
    static final int MOST_RECENT = 400;

    record Window(List<LlmMessage> turns, String summary) {

        static final Window EMPTY = new Window(List.of(), null);
    }

    private final Summarizer summarizer;

    HistoryWindow(Summarizer summarizer) {
        this.summarizer = summarizer;
    }

    /**
     * The window over the session's {@code recent} messages (oldest first, at most {@link #MOST_RECENT}, read with
     * the session by {@link SessionStage}). Tool calls and results are replayed as such when {@code withTools}
     * (the request offers the persona's tools), otherwise written out as text.
     */
    Window build(Caller caller, ChatSession session, List<ChatMessage> recent, Chain chain, long budgetTokens, boolean withTools) {
        if (recent.isEmpty()) {
            return Window.EMPTY;
        }
        List<ChatMessage> kept = fit(recent, budgetTokens);
        long droppedThrough = (kept.isEmpty() ? recent.getLast().seq() + 1 : kept.getFirst().seq()) - 1;
        if (droppedThrough <= 0) {
            return new Window(turns(kept, withTools), null);
        }
        long summaryBudget = Math.max(64, Math.min(budgetTokens / 4, 1_000));
        kept = fit(recent, Math.max(0, budgetTokens - summaryBudget));
        droppedThrough = (kept.isEmpty() ? recent.getLast().seq() + 1 : kept.getFirst().seq()) - 1;
        String summary = session.summaryThrough() >= droppedThrough ? session.summary()
                : summarizer.extend(caller, session, droppedThrough, chain, summaryBudget);
        return new Window(turns(kept, withTools), summary);
    }

    /**
     * The newest messages that fit, oldest first, starting after a tool exchange rather than inside one: a tool
     * result without the call it answers is refused by every provider.
     */
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
        while (!kept.isEmpty() && (ChatMessage.TOOL_CALL.equals(kept.getFirst().role())
                || ChatMessage.TOOL_RESULT.equals(kept.getFirst().role()))) {
            kept.removeFirst();
        }
        return kept;
    }

    /** The messages as a model reads them: consecutive tool calls become one assistant message asking for them. */
    static List<LlmMessage> turns(List<ChatMessage> messages, boolean withTools) {
        List<LlmMessage> turns = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        for (ChatMessage message : messages) {
            // An answer that was only tool calls for the client (the Responses API) is stored empty; providers refuse
            // an empty assistant message.
            if (!message.inContext() || ChatMessage.ASSISTANT.equals(message.role()) && message.content().isBlank()) {
                continue;
            }
            if (ChatMessage.TOOL_CALL.equals(message.role()) && message.tool() != null) {
                calls.add(new ToolCall(message.tool().callId(), message.tool().name(), message.content(), message.tool().signature()));
                continue;
            }
            if (!calls.isEmpty()) {
                turns.add(LlmMessage.toolCalls("", calls));
                calls = new ArrayList<>();
            }
            if (ChatMessage.TOOL_RESULT.equals(message.role()) && message.tool() != null) {
                turns.add(new LlmMessage(LlmMessage.Role.TOOL, message.content(), List.of(), message.tool().callId(),
                        message.tool().name()));
            }
            else {
                turns.add(ChatMessage.USER.equals(message.role()) ? LlmMessage.user(message.content())
                        : LlmMessage.assistant(message.content()));
            }
        }
        if (!calls.isEmpty()) {
            turns.add(LlmMessage.toolCalls("", calls));
        }
        return withTools ? turns : ToolTranscript.flatten(turns);
    }
}
