package dev.switchboard.chat.internal.openai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.ToolCall;
import tools.jackson.databind.JsonNode;

/**
 * The {@code messages} of a chat completion as the router's messages: system (or developer), user and assistant
 * text, assistant messages with the {@code tool_calls} the model asked for earlier, and {@code tool} messages with
 * the results of the client's tools, each answering a call of an earlier assistant message.
 */
final class ClientMessages {

    private ClientMessages() {
    }

    /** The messages; {@code ids} reads the tool-call ids Switchboard handed out to the caller's tenant. */
    static List<LlmMessage> parse(JsonNode messages, ToolCallIds ids, UUID tenantId) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw BadParameter.at("messages", "messages must be a non-empty array of {role, content}.");
        }
        List<LlmMessage> parsed = new ArrayList<>();
        // The tool a call id names: a tool message carries only the id, the router also wants the name.
        Map<String, String> calledTools = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String param = "messages[" + i + "]";
            String role = message.path("role").asString("");
            String content = content(message.path("content"), param);
            parsed.add(switch (role) {
                case "system", "developer" -> LlmMessage.system(required(content, param));
                case "user" -> LlmMessage.user(required(content, param));
                case "assistant" -> assistant(message, content, param, calledTools, ids, tenantId);
                case "tool" -> toolResult(message, content, param, calledTools);
                default -> throw BadParameter.at(param + ".role", "role must be system, developer, user, assistant or tool (was '"
                        + role + "').");
            });
        }
        if (parsed.stream().noneMatch(m -> m.role() == LlmMessage.Role.USER)) {
            throw BadParameter.at("messages", "messages must include a user message.");
        }
        return parsed;
    }

    private static LlmMessage assistant(JsonNode message, String content, String param, Map<String, String> calledTools,
            ToolCallIds ids, UUID tenantId) {
        JsonNode toolCalls = message.path("tool_calls");
        if (toolCalls.isMissingNode() || toolCalls.isNull() || toolCalls.isArray() && toolCalls.isEmpty()) {
            return LlmMessage.assistant(required(content, param));
        }
        if (!toolCalls.isArray()) {
            throw BadParameter.at(param + ".tool_calls", "tool_calls is an array of {id, type: \"function\", function: {name, "
                    + "arguments}}.");
        }
        List<ToolCall> calls = new ArrayList<>();
        for (int c = 0; c < toolCalls.size(); c++) {
            JsonNode call = toolCalls.get(c);
            String callParam = param + ".tool_calls[" + c + "]";
            String wireId = call.path("id").asString("");
            String name = call.path("function").path("name").asString("");
            if (wireId.isBlank() || name.isBlank()) {
                throw BadParameter.at(callParam, "A tool call has an id and a function name, as the model returned them.");
            }
            JsonNode arguments = call.path("function").path("arguments");
            if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isString()) {
                throw BadParameter.at(callParam + ".function.arguments", "A tool call's arguments are JSON as a string.");
            }
            try {
                calls.add(ids.call(tenantId, wireId, name, arguments.asString("")));
            }
            catch (IllegalArgumentException altered) {
                throw BadParameter.at(callParam + ".id", "The tool call id was changed: send it back as the model returned it.");
            }
            calledTools.put(wireId, name);
        }
        return LlmMessage.toolCalls(content, calls);
    }

    private static LlmMessage toolResult(JsonNode message, String content, String param, Map<String, String> calledTools) {
        String wireId = message.path("tool_call_id").asString("");
        String name = calledTools.get(wireId);
        if (name == null) {
            throw BadParameter.at(param + ".tool_call_id", "A tool message answers a tool call of an earlier assistant message: "
                    + "tool_call_id '" + wireId + "' names none.");
        }
        return new LlmMessage(LlmMessage.Role.TOOL, required(content, param), List.of(), ToolCallIds.id(wireId), name);
    }

    private static String required(String content, String param) {
        if (content == null) {
            throw BadParameter.at(param + ".content", "This message needs text content.");
        }
        return content;
    }

    /** A string, or the text parts of an array of content parts; null when there is none. */
    private static String content(JsonNode content, String param) {
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asString(""))) {
                    throw BadParameter.at(param + ".content", "Only text content parts are supported.");
                }
                text.append(part.path("text").asString(""));
            }
            return text.toString();
        }
        return null;
    }
}
