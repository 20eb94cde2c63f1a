package dev.switchboard.chat.internal.turn;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.chat.internal.history.ChatHistory;
import dev.switchboard.chat.internal.history.ChatMessage;
import dev.switchboard.chat.internal.history.ChatSession;
import dev.switchboard.identity.Caller;
import dev.switchboard.llm.Chain;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResult;
import dev.switchboard.llm.LlmUnavailableException;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;

/**
 * Keeps a session's running summary of the turns that no longer fit the window: written by the persona's
 * chain when a model answers, otherwise extractively — quoted excerpts of the turns, newest kept, never
 * words of its own.
 */
@Component
class Summarizer {

    private static final Logger log = LoggerFactory.getLogger(Summarizer.class);

    static final String EXTRACTIVE_HEADING = "Earlier in this conversation (excerpts):";
    static final int EXCERPT = 200;

    private final Traces traces;
    private final ChatHistory history;
    private final TurnMetering metering;
    private final TransactionTemplate transactions;

    Summarizer(ChatHistory history, TurnMetering metering, PlatformTransactionManager transactions, Traces traces) {
        this.traces = traces;
        this.history = history;
        this.metering = metering;
        this.transactions = new TransactionTemplate(transactions);
    }

    /**
     * The summary extended through message {@code through}, stored on the session. The conversation's words are
     * summarised; tool calls and results are not (the answers that used them are).
     */
    String extend(Caller caller, ChatSession session, long through, Chain chain, long budgetTokens) {
        try (TraceSpan span = traces.start("chat.summarise")) {
            span.tag(TraceAttributes.TENANT, caller.tenantId().toString())
                    .tag(TraceAttributes.PERSONA, session.personaId() == null ? null : session.personaId().toString());
            return extendInSpan(caller, session, through, chain, budgetTokens);
        }
    }

    private String extendInSpan(Caller caller, ChatSession session, long through, Chain chain, long budgetTokens) {
        List<ChatMessage> fresh = transactions.execute(status -> history.range(session.id(), session.summaryThrough() + 1, through))
                .stream().filter(ChatMessage::inContext)
                .filter(m -> ChatMessage.USER.equals(m.role()) || ChatMessage.ASSISTANT.equals(m.role())).toList();
        String summary = byModel(caller, session.summary(), fresh, chain, budgetTokens);
        if (summary == null) {
            summary = extractive(session.summary(), fresh, budgetTokens);
        }
        String stored = summary;
        transactions.executeWithoutResult(status -> history.summarize(session.id(), stored, through));
        return summary;
    }

    private String byModel(Caller caller, String previous, List<ChatMessage> fresh, Chain chain, long budgetTokens) {
        StringBuilder transcript = new StringBuilder();
        if (previous != null && !previous.isBlank()) {
            transcript.append("Summary so far:\n").append(previous).append("\n\nNew messages:\n");
        }
        for (ChatMessage message : fresh) {
            transcript.append(message.role()).append(": ").append(message.content()).append('\n');
        }
        LlmRequest request = new LlmRequest(List.of(
                LlmMessage.system("You maintain the running summary of a conversation. Write one concise summary, at most "
                        + (budgetTokens * 3 / 5) + " words, keeping facts, names, numbers, decisions and open questions. "
                        + "Output only the summary."),
                LlmMessage.user(transcript.toString())), List.of(), 0.0, (int) Math.min(budgetTokens, Integer.MAX_VALUE),
                false, "chat summary");
        try {
            LlmResult result = metering.generate(caller, chain, request, null);
            return result.fromModel() && result.complete() && !result.content().isBlank() ? result.content().strip() : null;
        }
        catch (LlmUnavailableException ex) {
            log.info("No model could summarise older turns ({} attempts); summarising extractively", ex.attempts().size());
            return null;
        }
    }

    /** Quoted excerpts, newest kept when they do not all fit. */
    static String extractive(String previous, List<ChatMessage> fresh, long budgetTokens) {
        Deque<String> lines = new ArrayDeque<>();
        if (previous != null && previous.startsWith(EXTRACTIVE_HEADING)) {
            previous.substring(EXTRACTIVE_HEADING.length()).lines().filter(line -> !line.isBlank()).forEach(lines::addLast);
        }
        for (ChatMessage message : fresh) {
            String text = message.content().strip().replaceAll("\\s+", " ");
            lines.addLast("- " + message.role() + ": \u201c" + (text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "\u2026")
                    + "\u201d");
        }
        long budgetCharacters = budgetTokens * 3;
        long length = EXTRACTIVE_HEADING.length() + lines.stream().mapToLong(line -> line.length() + 1).sum();
        while (length > budgetCharacters && lines.size() > 1) {
            length -= lines.removeFirst().length() + 1;
        }
        return EXTRACTIVE_HEADING + "\n" + String.join("\n", lines);
    }
}
