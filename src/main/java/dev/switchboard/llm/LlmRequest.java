package dev.switchboard.llm;

import java.util.List;

/**
 * What to ask a chain: the conversation (the last message is the user's question), the passages an answer
 * may use (the local extractive responder quotes them), sampling settings, and what a target must be able
 * to do to be tried.
 *
 * @param messages the conversation, oldest first
 * @param passages retrieved passages (already in the messages for a model; quoted by the local responder)
 * @param temperature sampling temperature, or null for the provider's default
 * @param maxTokens upper bound on the answer's tokens, or null for the provider's default
 * @param requiresTools whether the target must support tool calling; targets that do not are skipped (always
 *        true when {@code tools} is not empty)
 * @param purpose what the call is for, as recorded with its token usage (e.g. {@code POST /api/chat})
 * @param tools the tools the model may call; the router returns its calls in {@link LlmResult#toolCalls()} and
 *        never runs them
 */
public record LlmRequest(List<LlmMessage> messages, List<Passage> passages, Double temperature, Integer maxTokens,
        boolean requiresTools, String purpose, List<LlmTool> tools) {

    public LlmRequest {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("A request needs at least one message");
        }
        messages = List.copyOf(messages);
        passages = passages == null ? List.of() : List.copyOf(passages);
        purpose = purpose == null ? "llm" : purpose;
        tools = tools == null ? List.of() : List.copyOf(tools);
        requiresTools = requiresTools || !tools.isEmpty();
    }

    /** A request without tools. */
    public LlmRequest(List<LlmMessage> messages, List<Passage> passages, Double temperature, Integer maxTokens,
            boolean requiresTools, String purpose) {
        this(messages, passages, temperature, maxTokens, requiresTools, purpose, List.of());
    }

    /** A request offering the model these tools. */
    public static LlmRequest withTools(List<LlmMessage> messages, List<LlmTool> tools, String purpose) {
        return new LlmRequest(messages, List.of(), null, null, true, purpose, tools);
    }

    /** A single user prompt. */
    public static LlmRequest ofPrompt(String prompt, String purpose) {
        return new LlmRequest(List.of(LlmMessage.user(prompt)), List.of(), null, null, false, purpose);
    }

    /** The text of the last user message: what the local extractive responder answers. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == LlmMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /**
     * A conservative estimate of the prompt's tokens (about four characters per token, plus per-message
     * framing), used to skip targets whose context is too small and to reserve quota before a call.
     */
    public long estimatedPromptTokens() {
        long tokens = 0;
        for (LlmMessage message : messages) {
            tokens += estimateTokens(message.content()) + 5;
            for (ToolCall call : message.toolCalls()) {
                tokens += estimateTokens(call.name()) + estimateTokens(call.arguments()) + 5;
            }
        }
        for (LlmTool tool : tools) {
            tokens += estimateTokens(tool.name()) + estimateTokens(tool.description()) + estimateTokens(tool.parametersSchema()) + 5;
        }
        return tokens;
    }

    /** A conservative token count of a text (three characters a token; real tokenizers average about four). */
    public static long estimateTokens(String text) {
        return text == null ? 0 : text.length() / 3 + 1;
    }
}
