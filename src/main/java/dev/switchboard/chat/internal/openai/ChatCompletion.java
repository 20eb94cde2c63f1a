package dev.switchboard.chat.internal.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.chat.internal.history.MessageCitation;
import dev.switchboard.llm.Attempt;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer of {@code POST /v1/chat/completions}, as OpenAI's SDKs read it: every field they require is present, the
 * nullable ones as {@code null}. {@code switchboard} carries what OpenAI's object has no place for.
 */
@Schema(name = "ChatCompletion")
record ChatCompletion(String id, @Schema(allowableValues = "chat.completion") String object, long created, String model,
        List<Choice> choices, Usage usage, Switchboard switchboard) {

    /** The one choice Switchboard returns. */
    @Schema(name = "ChatCompletionChoice")
    record Choice(int index, Message message, @Schema(description = "Always null: log probabilities are not returned.") Logprobs logprobs,
            @JsonProperty("finish_reason") @Schema(allowableValues = {
                    "stop", "tool_calls"}) String finishReason) {
    }

    /** Log probabilities, as OpenAI describes them; Switchboard returns null. */
    @Schema(name = "ChatCompletionLogprobs")
    record Logprobs(List<String> content) {
    }

    /**
     * The assistant's message: its text (null when it only calls tools), or the client's tools it calls.
     *
     * @param toolCalls present only when the model called the client's tools
     */
    @Schema(name = "ChatCompletionMessage")
    record Message(@Schema(allowableValues = "assistant") String role, String content,
            @Schema(description = "Always null.") String refusal,
            @JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_NULL) List<ToolCall> toolCalls) {
    }

    /** A call of one of the client's functions. */
    @Schema(name = "ChatCompletionToolCall")
    record ToolCall(String id, @Schema(allowableValues = "function") String type, Function function) {
    }

    /** The function called and its arguments, a JSON object as text. */
    @Schema(name = "ChatCompletionFunctionCall")
    record Function(String name, String arguments) {
    }

    /** The tokens of every model call of the completion (the persona's tool steps included). */
    @Schema(name = "ChatCompletionUsage")
    record Usage(@JsonProperty("prompt_tokens") long promptTokens, @JsonProperty("completion_tokens") long completionTokens,
            @JsonProperty("total_tokens") long totalTokens) {

        static Usage of(dev.switchboard.llm.Usage used) {
            return new Usage(used.inputTokens(), used.outputTokens(), used.totalTokens());
        }
    }

    /** Who answered, after which attempts, citing what, with which version of the persona. */
    @Schema(name = "ChatCompletionSwitchboard")
    record Switchboard(String target, boolean failover, List<Attempt> attempts, List<MessageCitation> citations, int agentVersion) {
    }
}
