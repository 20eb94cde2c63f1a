package dev.switchboard.chat.internal.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.llm.LlmMessage;
import dev.switchboard.llm.LlmTool;
import tools.jackson.databind.JsonNode;

/**
 * The client's own tools of a chat completion ({@code tools}, {@code tool_choice}): what the model is offered and
 * what it is told about having to call them. The router passes tools in each provider's wire format but has no
 * portable tool choice, so a choice is honoured by what is offered and said: {@code none} offers no tools,
 * a named function offers only that one and asks for it, {@code required} asks for a call of one of them.
 *
 * @param offered the tools the model is offered (empty for {@code tool_choice: none})
 * @param instruction a system message telling the model it must call a tool, or null
 */
public record ClientTools(List<LlmTool> offered, LlmMessage instruction) {

    /**
     * Where a request writes a function's fields: chat completions nest them ({@code {type, function: {name, ...}}},
     * {@code tool_choice: {type, function: {name}}}), the Responses API does not ({@code {type, name, ...}}).
     */
    public enum Format {
        CHAT_COMPLETIONS("function"), RESPONSES(null);

        private final String nesting;

        Format(String nesting) {
            this.nesting = nesting;
        }

        JsonNode function(JsonNode tool) {
            return nesting == null ? tool : tool.path(nesting);
        }

        String param(String param) {
            return nesting == null ? param : param + "." + nesting;
        }

        String shape() {
            return nesting == null ? "{type: \"function\", name, description, parameters}"
                    : "{type: \"function\", function: {name, description, parameters}}";
        }
    }

    /** At most this many tools in one request, as OpenAI accepts. */
    static final int MAX_TOOLS = 128;

    /** A schema of at most this many characters: a tool definition is sent with every request that offers it. */
    static final int MAX_SCHEMA_CHARS = 16_384;

    /**
     * The client's tools, or null when the request carries neither {@code tools} nor {@code tool_choice}: then the
     * persona's own tools apply.
     */
    static ClientTools parse(JsonNode body) {
        return parse(body, Format.CHAT_COMPLETIONS);
    }

    /** As {@link #parse(JsonNode)}, for a request written in {@code format}. */
    public static ClientTools parse(JsonNode body, Format format) {
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        if (tools.isMissingNode() || tools.isNull()) {
            if (choice.isMissingNode() || choice.isNull()) {
                return null;
            }
            if (!"none".equals(choice.asString(""))) {
                throw BadParameter.at("tool_choice", "tool_choice is only allowed when tools are given.");
            }
            return new ClientTools(List.of(), null);
        }
        Map<String, LlmTool> defined = definitions(tools, format);
        return choose(defined, choice, format);
    }

    private static Map<String, LlmTool> definitions(JsonNode tools, Format format) {
        if (!tools.isArray()) {
            throw BadParameter.at("tools", "tools must be an array of " + format.shape() + ".");
        }
        if (tools.isEmpty()) {
            throw BadParameter.at("tools", "tools must not be empty: leave it out to use the persona's own tools.");
        }
        if (tools.size() > MAX_TOOLS) {
            throw BadParameter.at("tools", "At most " + MAX_TOOLS + " tools per request; this one has " + tools.size() + ".");
        }
        Map<String, LlmTool> defined = new LinkedHashMap<>();
        for (int i = 0; i < tools.size(); i++) {
            LlmTool tool = definition(tools.get(i), "tools[" + i + "]", format);
            if (defined.put(tool.name(), tool) != null) {
                throw BadParameter.at(format.param("tools[" + i + "]") + ".name", "Tool names must be unique; '" + tool.name()
                        + "' is defined twice.");
            }
        }
        return defined;
    }

    private static LlmTool definition(JsonNode tool, String toolParam, Format format) {
        if (!"function".equals(tool.path("type").asString(""))) {
            throw BadParameter.at(toolParam + ".type", "Only function tools are supported: type must be \"function\".");
        }
        JsonNode function = format.function(tool);
        String param = format.param(toolParam);
        String name = function.path("name").isString() ? function.path("name").asString() : "";
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw BadParameter.at(param + ".name", "A function name is 1 to 64 letters, digits, '_' or '-' (was '"
                    + name + "').");
        }
        JsonNode description = function.path("description");
        if (!description.isMissingNode() && !description.isNull() && !description.isString()) {
            throw BadParameter.at(param + ".description", "A function's description is a string.");
        }
        JsonNode parameters = function.path("parameters");
        if (parameters.isMissingNode() || parameters.isNull()) {
            return new LlmTool(name, description.asString(""), null);
        }
        if (!parameters.isObject() || parameters.has("type") && !"object".equals(parameters.path("type").asString(""))) {
            throw BadParameter.at(param + ".parameters", "A function's parameters are a JSON Schema of an object: "
                    + "{\"type\": \"object\", \"properties\": {...}}.");
        }
        String schema = parameters.toString();
        if (schema.length() > MAX_SCHEMA_CHARS) {
            throw BadParameter.at(param + ".parameters", "A function's parameters schema is at most " + MAX_SCHEMA_CHARS
                    + " characters.");
        }
        return new LlmTool(name, description.asString(""), schema);
    }

    private static ClientTools choose(Map<String, LlmTool> defined, JsonNode choice, Format format) {
        List<LlmTool> all = new ArrayList<>(defined.values());
        if (choice.isMissingNode() || choice.isNull() || "auto".equals(choice.asString(""))) {
            return new ClientTools(all, null);
        }
        if ("none".equals(choice.asString(""))) {
            return new ClientTools(List.of(), null);
        }
        if ("required".equals(choice.asString(""))) {
            return new ClientTools(all, LlmMessage.system("Call one or more of the tools you have now; do not answer in text "
                    + "yet."));
        }
        if (choice.isObject() && "function".equals(choice.path("type").asString(""))) {
            String name = format.function(choice).path("name").asString("");
            LlmTool tool = defined.get(name);
            if (tool == null) {
                throw BadParameter.at(format.param("tool_choice") + ".name", "tool_choice names the function '" + name + "', which is "
                        + "not among the request's tools.");
            }
            return new ClientTools(List.of(tool), LlmMessage.system("Call the tool " + name + " now; do not answer in text yet."));
        }
        throw BadParameter.at("tool_choice", "tool_choice is \"none\", \"auto\", \"required\" or " + (format == Format.RESPONSES
                ? "{\"type\": \"function\", \"name\": ...}." : "{\"type\": \"function\", \"function\": {\"name\": ...}}."));
    }
}
