package dev.switchboard.llm;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation sent to a model. An assistant message may carry the tool calls the model
 * asked for; a {@link Role#TOOL} message carries the result of one call, naming the call it answers.
 *
 * @param role who said it
 * @param content the text (a tool's result for {@link Role#TOOL}; may be empty beside tool calls)
 * @param toolCalls the tool calls of an assistant message, otherwise empty
 * @param toolCallId the call a {@link Role#TOOL} message answers, otherwise null
 * @param toolName the tool a {@link Role#TOOL} message answers for, otherwise null
 */
public record LlmMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName) {

    /** Who said it. */
    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL
    }

    public LlmMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("Only an assistant message carries tool calls");
        }
        if (role == Role.TOOL && (toolCallId == null || toolName == null)) {
            throw new IllegalArgumentException("A tool result names the call and the tool it answers");
        }
    }

    public LlmMessage(Role role, String content) {
        this(role, content, List.of(), null, null);
    }

    public static LlmMessage system(String content) {
        return new LlmMessage(Role.SYSTEM, content);
    }

    public static LlmMessage user(String content) {
        return new LlmMessage(Role.USER, content);
    }

    public static LlmMessage assistant(String content) {
        return new LlmMessage(Role.ASSISTANT, content);
    }

    /** The model's turn that asked for tool calls (with any text it wrote beside them). */
    public static LlmMessage toolCalls(String content, List<ToolCall> calls) {
        return new LlmMessage(Role.ASSISTANT, content == null ? "" : content, calls, null, null);
    }

    /** The result of one tool call, answering {@code call}. */
    public static LlmMessage toolResult(ToolCall call, String result) {
        return new LlmMessage(Role.TOOL, result, List.of(), call.id(), call.name());
    }
}
