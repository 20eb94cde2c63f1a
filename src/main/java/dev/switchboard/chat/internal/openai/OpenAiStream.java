package dev.switchboard.chat.internal.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.switchboard.llm.ToolCall;
import dev.switchboard.shared.EventStream;

/**
 * A chat completion streamed as OpenAI does: {@code chat.completion.chunk} events (text deltas, then any tool calls),
 * then {@code [DONE]}.
 */
final class OpenAiStream {

    private final EventStream events;
    private final String id;
    private final long created;
    private final String model;
    private boolean roleSent;

    OpenAiStream(EventStream events, String id, long created, String model) {
        this.events = events;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    boolean started() {
        return events.started();
    }

    void delta(String text) {
        Map<String, Object> delta = firstDelta();
        delta.put("content", text);
        events.send(null, chunk(delta, null));
    }

    /**
     * The tool calls the model asked for, as OpenAI streams them: for each, a chunk with its index, id, type and
     * function name (arguments empty), then one with the arguments. The router hands over whole calls (a provider's
     * deltas already assembled), so the arguments come as one fragment.
     */
    void toolCalls(List<ToolCall> calls, Function<ToolCall, String> wireIds) {
        for (int index = 0; index < calls.size(); index++) {
            ToolCall call = calls.get(index);
            Map<String, Object> opening = new LinkedHashMap<>();
            opening.put("index", index);
            opening.put("id", wireIds.apply(call));
            opening.put("type", "function");
            opening.put("function", Map.of("name", call.name(), "arguments", ""));
            Map<String, Object> first = firstDelta();
            first.put("tool_calls", List.of(opening));
            events.send(null, chunk(first, null));
            Map<String, Object> arguments = new LinkedHashMap<>();
            arguments.put("index", index);
            arguments.put("function", Map.of("arguments", call.arguments()));
            events.send(null, chunk(Map.of("tool_calls", List.of(arguments)), null));
        }
    }

    /** A delta that names the role if it is the answer's first. */
    private Map<String, Object> firstDelta() {
        Map<String, Object> delta = new LinkedHashMap<>();
        if (!roleSent) {
            delta.put("role", "assistant");
            roleSent = true;
        }
        return delta;
    }

    void finish(String reason, ChatCompletion.Usage usage, ChatCompletion.Switchboard extra) {
        Map<String, Object> last = chunk(Map.of(), reason);
        last.put("switchboard", extra);
        events.send(null, last);
        if (usage != null) {
            Map<String, Object> usageChunk = chunk(null, null);
            usageChunk.put("choices", List.of());
            usageChunk.put("usage", usage);
            events.send(null, usageChunk);
        }
        events.sendRaw("[DONE]");
    }

    void error(Map<String, Object> error) {
        events.send(null, error);
        events.sendRaw("[DONE]");
    }

    private Map<String, Object> chunk(Map<String, Object> delta, String finishReason) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        if (delta != null) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            chunk.put("choices", List.of(choice));
        }
        return chunk;
    }
}
