package dev.switchboard.chat.internal.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.chat.internal.web.EventStream;

/** A chat completion streamed as OpenAI does: {@code chat.completion.chunk} events, then {@code [DONE]}. */
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
        Map<String, Object> delta = new LinkedHashMap<>();
        if (!roleSent) {
            delta.put("role", "assistant");
            roleSent = true;
        }
        delta.put("content", text);
        events.send(null, chunk(delta, null));
    }

    void finish(String reason, Map<String, Object> usage, Map<String, Object> extra) {
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
