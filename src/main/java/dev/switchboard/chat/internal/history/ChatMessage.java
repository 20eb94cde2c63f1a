package dev.switchboard.chat.internal.history;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.llm.Attempt;

/**
 * One stored message. {@code role}: {@code user}, {@code assistant}, or — between a user's message and the answer
 * — {@code tool_call} (content: the arguments the model wrote) and {@code tool_result} (content: what the model
 * was sent back), each with its {@link ToolPart}. {@code status}: {@code complete}; {@code incomplete} (a stream
 * that broke after its first token: the part that arrived); {@code failed} (a user message that got no answer;
 * {@code error} says why).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(UUID id, long seq, String role, String content, String status, String error,
        Integer personaVersion, String target, Boolean failover, Integer tokensIn, Integer tokensOut, Integer latencyMs,
        List<MessageCitation> citations, List<Attempt> attempts, Instant createdAt, ToolPart tool) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL_CALL = "tool_call";
    public static final String TOOL_RESULT = "tool_result";
    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";
    public static final String FAILED = "failed";

    /**
     * The tool side of a {@code tool_call} or {@code tool_result} message.
     *
     * @param name the tool's name as the model called it
     * @param callId the call's id, which its result quotes
     * @param error whether the call failed (results only)
     * @param signature the provider's opaque state kept with a call (Gemini's thought signature), never shown
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolPart(String name, String callId, Boolean error, @JsonIgnore String signature) {
    }

    public ChatMessage(UUID id, long seq, String role, String content, String status, String error, Integer personaVersion,
            String target, Boolean failover, Integer tokensIn, Integer tokensOut, Integer latencyMs,
            List<MessageCitation> citations, List<Attempt> attempts, Instant createdAt) {
        this(id, seq, role, content, status, error, personaVersion, target, failover, tokensIn, tokensOut, latencyMs, citations,
                attempts, createdAt, null);
    }

    /** Whether the message belongs in what a model sees of the conversation. */
    public boolean inContext() {
        return !FAILED.equals(status);
    }
}
