package dev.switchboard.chat.internal.openai.responses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import dev.switchboard.chat.internal.openai.BadParameter;
import dev.switchboard.chat.internal.openai.ToolCallIds;
import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.ToolCall;
import tools.jackson.databind.JsonNode;

/**
 * The {@code input} of a response as the router's messages: a string is one user message; a list holds messages
 * (system, developer, user, assistant; text content), the {@code function_call}s the model asked for earlier (echoed
 * by a client that keeps the conversation itself, or named by an {@code item_reference} to an output item of one of the
 * caller's stored responses, as the Vercel AI SDK does) and the {@code function_call_output}s of the client's functions.
 * An output answers a call of the input or of the previous response; consecutive calls become one assistant message
 * asking for them, as providers expect.
 */
final class ResponseInput {

    private ResponseInput() {
    }

    /**
     * The messages, {@code instructions} first.
     *
     * @param pendingCalls the calls of the previous response (wire call id → function name), which this input must answer
     * @param references the output item of the caller's stored responses with a given id, or null when there is none
     */
    static List<LlmMessage> parse(JsonNode input, String instructions, Map<String, String> pendingCalls,
            Function<String, JsonNode> references, ToolCallIds ids, UUID tenantId) {
        List<LlmMessage> messages = new ArrayList<>();
        if (instructions != null && !instructions.isBlank()) {
            messages.add(LlmMessage.system(instructions));
        }
        if (input.isString()) {
            requireAnswered(pendingCalls, Set.of());
            messages.add(LlmMessage.user(input.asString()));
            return messages;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw BadParameter.at("input", "input is a string or a non-empty list of input items.");
        }
        Map<String, String> calls = new HashMap<>(pendingCalls);
        Set<String> answered = new LinkedHashSet<>();
        for (int i = 0; i < input.size(); i++) {
            String param = "input[" + i + "]";
            JsonNode item = resolve(input.get(i), references, param);
            String type = item.path("type").asString(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> messages.add(message(item, param));
                case "function_call" -> {
                    ToolCall call = functionCall(item, param, ids, tenantId);
                    calls.put(item.path("call_id").asString(), call.name());
                    append(messages, call);
                }
                case "function_call_output" -> {
                    String wireId = item.path("call_id").asString("");
                    String name = calls.get(wireId);
                    if (name == null) {
                        throw BadParameter.at(param + ".call_id", "A function_call_output answers a function_call of the input or "
                                + "of the previous response: call_id '" + wireId + "' names none.");
                    }
                    answered.add(wireId);
                    messages.add(new LlmMessage(LlmMessage.Role.TOOL, output(item.path("output"), param), List.of(),
                            ToolCallIds.id(wireId), name));
                }
                default -> throw BadParameter.at(param + ".type", "Input items of type message, function_call, "
                        + "function_call_output and item_reference are supported (was '" + type + "').");
            }
        }
        requireAnswered(pendingCalls, answered);
        return messages;
    }

    /** The item itself, or the stored output item an {@code item_reference} names. */
    private static JsonNode resolve(JsonNode item, Function<String, JsonNode> references, String param) {
        // OpenAI's item_reference may leave out its type: an item of only an id is one.
        String type = item.path("type").asString(item.has("role") || !item.has("id") ? "" : "item_reference");
        if (!"item_reference".equals(type)) {
            return item;
        }
        String id = item.path("id").asString("");
        JsonNode referenced = id.isBlank() ? null : references.apply(id);
        if (referenced == null) {
            throw BadParameter.at(param + ".id", "An item_reference names an output item of one of your stored responses: '" + id
                    + "' is none (never stored, deleted, or not yours).");
        }
        return referenced;
    }

    /** Every call the previous response asked for needs its output now: a call without a result is refused by providers. */
    private static void requireAnswered(Map<String, String> pendingCalls, Set<String> answered) {
        for (String callId : pendingCalls.keySet()) {
            if (!answered.contains(callId)) {
                throw BadParameter.at("input", "The previous response asked for the function call '" + callId + "' ("
                        + pendingCalls.get(callId) + "): send its result as a function_call_output item.");
            }
        }
    }

    private static LlmMessage message(JsonNode item, String param) {
        String role = item.path("role").asString("");
        String content = content(item.path("content"), param);
        return switch (role) {
            case "system", "developer" -> LlmMessage.system(content);
            case "user" -> LlmMessage.user(content);
            case "assistant" -> LlmMessage.assistant(content);
            default -> throw BadParameter.at(param + ".role", "role is user, system, developer or assistant (was '" + role + "').");
        };
    }

    private static ToolCall functionCall(JsonNode item, String param, ToolCallIds ids, UUID tenantId) {
        String callId = item.path("call_id").asString("");
        String name = item.path("name").asString("");
        JsonNode arguments = item.path("arguments");
        if (callId.isBlank() || name.isBlank() || !arguments.isString()) {
            throw BadParameter.at(param, "A function_call has call_id, name and arguments (JSON as a string), as the model "
                    + "returned them.");
        }
        try {
            return ids.call(tenantId, callId, name, arguments.asString());
        }
        catch (IllegalArgumentException altered) {
            throw BadParameter.at(param + ".call_id", "The call_id was changed: send it back as the model returned it.");
        }
    }

    /** Consecutive calls join the assistant message before them (its text, or calls) into one. */
    private static void append(List<LlmMessage> messages, ToolCall call) {
        LlmMessage last = messages.isEmpty() ? null : messages.getLast();
        if (last != null && last.role() == LlmMessage.Role.ASSISTANT) {
            List<ToolCall> calls = new ArrayList<>(last.toolCalls());
            calls.add(call);
            messages.set(messages.size() - 1, LlmMessage.toolCalls(last.content(), calls));
            return;
        }
        messages.add(LlmMessage.toolCalls("", List.of(call)));
    }

    /** A string, or the text of {@code input_text}/{@code output_text} parts. */
    private static String content(JsonNode content, String param) {
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray() && !content.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < content.size(); p++) {
                JsonNode part = content.get(p);
                String type = part.path("type").asString("");
                if (!type.equals("input_text") && !type.equals("output_text") && !type.equals("text")) {
                    throw BadParameter.at(param + ".content[" + p + "].type", "Only text content parts (input_text, output_text) "
                            + "are supported (was '" + type + "').");
                }
                text.append(part.path("text").asString(""));
            }
            return text.toString();
        }
        throw BadParameter.at(param + ".content", "A message's content is a string or a list of input_text parts.");
    }

    /** A function's output: a string, or text parts. */
    private static String output(JsonNode output, String param) {
        if (output.isString()) {
            return output.asString();
        }
        if (output.isArray()) {
            return content(output, param + ".output");
        }
        throw BadParameter.at(param + ".output", "A function_call_output's output is a string.");
    }
}
