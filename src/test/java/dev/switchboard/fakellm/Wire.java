package dev.switchboard.fakellm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One provider's wire format: complete answers, stream events and error bodies, as the real APIs send them. */
sealed interface Wire {

    JsonMapper JSON = JsonMapper.builder().build();

    boolean streaming();

    String streamContentType();

    String complete(String text, int promptTokens, int completionTokens);

    List<String> streamStart();

    String streamDelta(String text, int index);

    List<String> streamEnd(int promptTokens, int completionTokens);

    String error(int status);

    /** A complete answer asking for these tool calls. */
    String completeToolCalls(List<Behaviour.FakeToolCall> calls, int promptTokens, int completionTokens);

    /** The stream events of these tool calls, between {@link #streamStart()} and {@link #streamToolCallsEnd}. */
    List<String> streamToolCalls(List<Behaviour.FakeToolCall> calls);

    /** The events that end a stream that asked for tool calls. */
    List<String> streamToolCallsEnd(int promptTokens, int completionTokens);

    /** The arguments as a JSON object (Anthropic, Gemini and Ollama send objects, OpenAI a string). */
    static JsonNode arguments(Behaviour.FakeToolCall call) {
        return JSON.readTree(call.arguments());
    }

    /** Text cut in three pieces, as OpenAI and Anthropic stream a call's arguments. */
    static List<String> pieces(String text) {
        int third = Math.max(1, text.length() / 3);
        List<String> pieces = new java.util.ArrayList<>();
        for (int start = 0; start < text.length(); start += third) {
            pieces.add(text.substring(start, Math.min(text.length(), start + third)));
        }
        return pieces;
    }

    static Wire of(String path, String query, JsonNode body) {
        if (path.endsWith("/chat/completions")) {
            return new OpenAi(body.path("stream").asBoolean(false), body.path("model").asString("fake"),
                    body.path("stream_options").path("include_usage").asBoolean(false));
        }
        if (path.endsWith("/messages")) {
            return new Anthropic(body.path("stream").asBoolean(false), body.path("model").asString("fake"));
        }
        if (path.contains(":generateContent") || path.contains(":streamGenerateContent")) {
            return new Gemini(path.contains(":streamGenerateContent"));
        }
        if (path.endsWith("/api/chat")) {
            return new Ollama(body.path("stream").asBoolean(true), body.path("model").asString("fake"));
        }
        throw new IllegalArgumentException("The fake provider does not serve " + path);
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String sse(String data) {
        return "data: " + data + "\n\n";
    }

    /** OpenAI chat completions ({@code /v1/chat/completions}); also every OpenAI-compatible server. */
    record OpenAi(boolean streaming, String model, boolean includeUsage) implements Wire {

        static final String ID = "chatcmpl-fake";

        @Override
        public String streamContentType() {
            return "text/event-stream";
        }

        @Override
        public String complete(String text, int promptTokens, int completionTokens) {
            return json(map("id", ID, "object", "chat.completion", "created", 1_700_000_000, "model", model,
                    "choices", List.of(map("index", 0, "message", map("role", "assistant", "content", text),
                            "finish_reason", "stop")),
                    "usage", usage(promptTokens, completionTokens)));
        }

        @Override
        public List<String> streamStart() {
            return List.of(sse(chunk(map("role", "assistant", "content", ""), null)));
        }

        @Override
        public String streamDelta(String text, int index) {
            return sse(chunk(map("content", text), null));
        }

        @Override
        public List<String> streamEnd(int promptTokens, int completionTokens) {
            String finish = sse(chunk(map(), "stop"));
            if (!includeUsage) {
                return List.of(finish, sse("[DONE]"));
            }
            String usage = sse(json(map("id", ID, "object", "chat.completion.chunk", "created", 1_700_000_000, "model", model,
                    "choices", List.of(), "usage", usage(promptTokens, completionTokens))));
            return List.of(finish, usage, sse("[DONE]"));
        }

        private String chunk(Map<String, Object> delta, String finishReason) {
            Map<String, Object> choice = map("index", 0, "delta", delta, "finish_reason", finishReason);
            return json(map("id", ID, "object", "chat.completion.chunk", "created", 1_700_000_000, "model", model,
                    "choices", List.of(choice)));
        }

        private static Map<String, Object> usage(int promptTokens, int completionTokens) {
            return map("prompt_tokens", promptTokens, "completion_tokens", completionTokens,
                    "total_tokens", promptTokens + completionTokens);
        }

        @Override
        public String completeToolCalls(List<Behaviour.FakeToolCall> calls, int promptTokens, int completionTokens) {
            List<Object> toolCalls = calls.stream().<Object>map(call -> map("id", call.id(), "type", "function",
                    "function", map("name", call.name(), "arguments", call.arguments()))).toList();
            return json(map("id", ID, "object", "chat.completion", "created", 1_700_000_000, "model", model,
                    "choices", List.of(map("index", 0, "message", map("role", "assistant", "content", null,
                            "tool_calls", toolCalls), "finish_reason", "tool_calls")),
                    "usage", usage(promptTokens, completionTokens)));
        }

        @Override
        public List<String> streamToolCalls(List<Behaviour.FakeToolCall> calls) {
            List<String> events = new java.util.ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                Behaviour.FakeToolCall call = calls.get(i);
                events.add(sse(chunk(map("tool_calls", List.of(map("index", i, "id", call.id(), "type", "function",
                        "function", map("name", call.name(), "arguments", "")))), null)));
                for (String piece : Wire.pieces(call.arguments())) {
                    events.add(sse(chunk(map("tool_calls", List.of(map("index", i, "function", map("arguments", piece)))), null)));
                }
            }
            return events;
        }

        @Override
        public List<String> streamToolCallsEnd(int promptTokens, int completionTokens) {
            String finish = sse(chunk(map(), "tool_calls"));
            String usage = sse(json(map("id", ID, "object", "chat.completion.chunk", "created", 1_700_000_000, "model", model,
                    "choices", List.of(), "usage", usage(promptTokens, completionTokens))));
            return includeUsage ? List.of(finish, usage, sse("[DONE]")) : List.of(finish, sse("[DONE]"));
        }

        @Override
        public String error(int status) {
            return json(map("error", map("message", "Fake provider failure " + status + " (internal detail: shard-7)",
                    "type", status == 429 ? "rate_limit_exceeded" : "server_error", "code", null)));
        }
    }

    /** Anthropic messages ({@code /v1/messages}). */
    record Anthropic(boolean streaming, String model) implements Wire {

        @Override
        public String streamContentType() {
            return "text/event-stream";
        }

        @Override
        public String complete(String text, int promptTokens, int completionTokens) {
            return json(map("id", "msg_fake", "type", "message", "role", "assistant", "model", model,
                    "content", List.of(map("type", "text", "text", text)), "stop_reason", "end_turn",
                    "stop_sequence", null, "usage", map("input_tokens", promptTokens, "output_tokens", completionTokens)));
        }

        @Override
        public List<String> streamStart() {
            return List.of(
                    event("message_start", map("type", "message_start", "message", map("id", "msg_fake", "type", "message",
                            "role", "assistant", "model", model, "content", List.of(), "stop_reason", null,
                            "usage", map("input_tokens", 0, "output_tokens", 0)))),
                    event("content_block_start", map("type", "content_block_start", "index", 0,
                            "content_block", map("type", "text", "text", ""))));
        }

        @Override
        public String streamDelta(String text, int index) {
            return event("content_block_delta", map("type", "content_block_delta", "index", 0,
                    "delta", map("type", "text_delta", "text", text)));
        }

        @Override
        public List<String> streamEnd(int promptTokens, int completionTokens) {
            return List.of(
                    event("content_block_stop", map("type", "content_block_stop", "index", 0)),
                    event("message_delta", map("type", "message_delta", "delta", map("stop_reason", "end_turn",
                            "stop_sequence", null), "usage", map("input_tokens", promptTokens, "output_tokens", completionTokens))),
                    event("message_stop", map("type", "message_stop")));
        }

        @Override
        public String completeToolCalls(List<Behaviour.FakeToolCall> calls, int promptTokens, int completionTokens) {
            List<Object> content = calls.stream().<Object>map(call -> map("type", "tool_use", "id", call.id(),
                    "name", call.name(), "input", Wire.arguments(call))).toList();
            return json(map("id", "msg_fake", "type", "message", "role", "assistant", "model", model,
                    "content", content, "stop_reason", "tool_use", "stop_sequence", null,
                    "usage", map("input_tokens", promptTokens, "output_tokens", completionTokens)));
        }

        @Override
        public List<String> streamToolCalls(List<Behaviour.FakeToolCall> calls) {
            // The empty text block streamStart opened ends first, as when Claude writes nothing before a call.
            List<String> events = new java.util.ArrayList<>();
            events.add(event("content_block_stop", map("type", "content_block_stop", "index", 0)));
            for (int i = 0; i < calls.size(); i++) {
                Behaviour.FakeToolCall call = calls.get(i);
                int index = i + 1;
                events.add(event("content_block_start", map("type", "content_block_start", "index", index,
                        "content_block", map("type", "tool_use", "id", call.id(), "name", call.name(), "input", map()))));
                for (String piece : Wire.pieces(call.arguments())) {
                    events.add(event("content_block_delta", map("type", "content_block_delta", "index", index,
                            "delta", map("type", "input_json_delta", "partial_json", piece))));
                }
                events.add(event("content_block_stop", map("type", "content_block_stop", "index", index)));
            }
            return events;
        }

        @Override
        public List<String> streamToolCallsEnd(int promptTokens, int completionTokens) {
            return List.of(
                    event("message_delta", map("type", "message_delta", "delta", map("stop_reason", "tool_use",
                            "stop_sequence", null), "usage", map("input_tokens", promptTokens, "output_tokens", completionTokens))),
                    event("message_stop", map("type", "message_stop")));
        }

        private static String event(String name, Map<String, Object> data) {
            return "event: " + name + "\ndata: " + json(data) + "\n\n";
        }

        @Override
        public String error(int status) {
            return json(map("type", "error", "error", map("type", status == 429 ? "rate_limit_error" : "api_error",
                    "message", "Fake provider failure " + status + " (internal detail: shard-7)")));
        }
    }

    /** Gemini {@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}. */
    record Gemini(boolean streaming) implements Wire {

        @Override
        public String streamContentType() {
            return "text/event-stream";
        }

        @Override
        public String complete(String text, int promptTokens, int completionTokens) {
            return json(response(text, "STOP", promptTokens, completionTokens));
        }

        @Override
        public List<String> streamStart() {
            return List.of();
        }

        @Override
        public String streamDelta(String text, int index) {
            return sse(json(response(text, null, 0, 0)));
        }

        @Override
        public List<String> streamEnd(int promptTokens, int completionTokens) {
            return List.of(sse(json(response("", "STOP", promptTokens, completionTokens))));
        }

        @Override
        public String completeToolCalls(List<Behaviour.FakeToolCall> calls, int promptTokens, int completionTokens) {
            return json(response(functionCalls(calls), "STOP", promptTokens, completionTokens, "calls"));
        }

        @Override
        public List<String> streamToolCalls(List<Behaviour.FakeToolCall> calls) {
            return calls.stream().map(call -> sse(json(response(functionCalls(List.of(call)), null, 0, 0, call.id())))).toList();
        }

        @Override
        public List<String> streamToolCallsEnd(int promptTokens, int completionTokens) {
            return streamEnd(promptTokens, completionTokens);
        }

        /**
         * Gemini's calls carry no id (a result answers its call by the function's name) but a thought signature,
         * which the next request must send back on the call's part: here base64 of {@code sig-<fake id>}.
         */
        private static List<Object> functionCalls(List<Behaviour.FakeToolCall> calls) {
            return calls.stream().<Object>map(call -> map("functionCall", map("name", call.name(), "args", Wire.arguments(call)),
                    "thoughtSignature", signature(call))).toList();
        }

        static String signature(Behaviour.FakeToolCall call) {
            return java.util.Base64.getEncoder().encodeToString(("sig-" + call.id()).getBytes());
        }

        private static Map<String, Object> response(String text, String finishReason, int promptTokens, int completionTokens) {
            return response(List.of(map("text", text)), finishReason, promptTokens, completionTokens, text);
        }

        private static Map<String, Object> response(List<Object> parts, String finishReason, int promptTokens,
                int completionTokens, String idSeed) {
            Map<String, Object> candidate = map("content", map("parts", parts, "role", "model"),
                    "index", 0);
            if (finishReason != null) {
                candidate.put("finishReason", finishReason);
            }
            return map("candidates", List.of(candidate), "usageMetadata", map("promptTokenCount", promptTokens,
                    "candidatesTokenCount", completionTokens, "totalTokenCount", promptTokens + completionTokens),
                    "modelVersion", "fake", "responseId", UUID.nameUUIDFromBytes(idSeed.getBytes()).toString());
        }

        @Override
        public String error(int status) {
            return json(map("error", map("code", status, "message", "Fake provider failure (internal detail: shard-7)",
                    "status", status == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL")));
        }
    }

    /** Ollama {@code /api/chat}: NDJSON when streaming (its default). */
    record Ollama(boolean streaming, String model) implements Wire {

        @Override
        public String streamContentType() {
            return "application/x-ndjson";
        }

        @Override
        public String complete(String text, int promptTokens, int completionTokens) {
            return json(done(text, promptTokens, completionTokens));
        }

        @Override
        public List<String> streamStart() {
            return List.of();
        }

        @Override
        public String streamDelta(String text, int index) {
            return json(map("model", model, "created_at", "2026-11-22T00:00:00Z",
                    "message", map("role", "assistant", "content", text), "done", false)) + "\n";
        }

        @Override
        public List<String> streamEnd(int promptTokens, int completionTokens) {
            return List.of(json(done("", promptTokens, completionTokens)) + "\n");
        }

        @Override
        @SuppressWarnings("unchecked")
        public String completeToolCalls(List<Behaviour.FakeToolCall> calls, int promptTokens, int completionTokens) {
            Map<String, Object> answer = done("", promptTokens, completionTokens);
            ((Map<String, Object>) answer.get("message")).put("tool_calls", toolCalls(calls));
            return json(answer);
        }

        @Override
        public List<String> streamToolCalls(List<Behaviour.FakeToolCall> calls) {
            // Ollama streams the calls whole, in one message before the final one.
            return List.of(json(map("model", model, "created_at", "2026-11-22T00:00:00Z", "message", map("role", "assistant",
                    "content", "", "tool_calls", toolCalls(calls)), "done", false)) + "\n");
        }

        @Override
        public List<String> streamToolCallsEnd(int promptTokens, int completionTokens) {
            return streamEnd(promptTokens, completionTokens);
        }

        private static List<Object> toolCalls(List<Behaviour.FakeToolCall> calls) {
            return calls.stream().<Object>map(call -> map("function", map("name", call.name(), "arguments", Wire.arguments(call))))
                    .toList();
        }

        private Map<String, Object> done(String text, int promptTokens, int completionTokens) {
            return map("model", model, "created_at", "2026-11-22T00:00:00Z", "message", map("role", "assistant",
                    "content", text), "done", true, "done_reason", "stop", "prompt_eval_count", promptTokens,
                    "eval_count", completionTokens, "total_duration", 1_000_000);
        }

        @Override
        public String error(int status) {
            return json(map("error", "Fake provider failure " + status + " (internal detail: shard-7)"));
        }
    }
}
