package dev.switchboard.llm;

import java.util.List;

/**
 * The answer of a chain and how it came about.
 *
 * @param content the answer's text (for an interrupted stream: the part that arrived)
 * @param target the target that answered
 * @param attempts every attempt in order, the answering one last
 * @param usage tokens used by the answering target
 * @param failover whether a target other than the chain's first answered
 * @param complete false when a stream failed after its first token: {@code content} is partial
 * @param citations the passages the answer quotes (the local extractive responder); models' citations are
 *        extracted from their text by the caller
 * @param toolCalls the tools the model asked to call, complete (a stream's deltas assembled), in its order;
 *        empty when it answered in text
 */
public record LlmResult(String content, Target target, List<Attempt> attempts, Usage usage, boolean failover,
        boolean complete, List<Citation> citations, List<ToolCall> toolCalls) {

    public LlmResult {
        attempts = List.copyOf(attempts);
        citations = citations == null ? List.of() : List.copyOf(citations);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** A result without tool calls. */
    public LlmResult(String content, Target target, List<Attempt> attempts, Usage usage, boolean failover,
            boolean complete, List<Citation> citations) {
        this(content, target, attempts, usage, failover, complete, citations, List.of());
    }

    /** Whether the model asked for tool calls: the caller runs them and asks again with their results. */
    public boolean wantsTools() {
        return !toolCalls.isEmpty();
    }

    /** Whether a language model wrote the answer (false for the local extractive responder). */
    public boolean fromModel() {
        return !Target.LOCAL_EXTRACTIVE.equals(target);
    }
}
