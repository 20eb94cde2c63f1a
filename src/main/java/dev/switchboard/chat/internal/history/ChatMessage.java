package dev.switchboard.chat.internal.history;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.switchboard.llm.Attempt;

/**
 * One stored message. {@code status}: {@code complete}; {@code incomplete} (a stream that broke after its
 * first token: the part that arrived); {@code failed} (a user message that got no answer; {@code error} says why).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(UUID id, long seq, String role, String content, String status, String error,
        Integer personaVersion, String target, Boolean failover, Integer tokensIn, Integer tokensOut, Integer latencyMs,
        List<MessageCitation> citations, List<Attempt> attempts, Instant createdAt) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";
    public static final String FAILED = "failed";

    /** Whether the message belongs in what a model sees of the conversation. */
    public boolean inContext() {
        return !FAILED.equals(status);
    }
}
