package dev.switchboard.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tool call's arguments, read with the checks each tool needs: the one place where every tool — built-in, MCP
 * server tool — says in the same words which argument is wrong and what it needs. Models get arguments wrong and MCP
 * clients skip schemas, so each read either yields a value within the tool's bounds or throws
 * {@link InvalidToolArguments} with a short message starting with the argument's name.
 */
public final class ToolArguments {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Map<String, Object> values;

    private ToolArguments(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    /** Arguments a client sent already decoded (an MCP {@code tools/call}); null is no arguments. */
    public static ToolArguments of(Map<String, Object> values) {
        return new ToolArguments(values);
    }

    /**
     * Arguments as a model wrote them: JSON text that must be an object.
     *
     * @param example what a good call looks like, quoted in the refusal ({@code {"query": "..."}})
     */
    public static ToolArguments parse(String json, String example) {
        try {
            return new ToolArguments(JSON.readValue(json == null || json.isBlank() ? "{}" : json, OBJECT));
        }
        catch (JacksonException ex) {
            throw new InvalidToolArguments("The arguments are not a JSON object: send " + example + ".");
        }
    }

    /** Whether the argument is present and not null. */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** A required text of 1 to {@code maxLength} characters (blank counts as missing). */
    public String text(String name, int maxLength) {
        Object value = values.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidToolArguments(name + ": required, a non-empty string.");
        }
        if (text.length() > maxLength) {
            throw new InvalidToolArguments(name + ": at most " + maxLength + " characters (this one has " + text.length() + ").");
        }
        return text;
    }

    /** An optional text, or null. */
    public String optionalText(String name, int maxLength) {
        return has(name) ? text(name, maxLength) : null;
    }

    /** An optional whole number between {@code min} and {@code max}, or {@code fallback}. */
    public int integer(String name, int min, int max, int fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < min || number.doubleValue() > max) {
            throw new InvalidToolArguments(name + ": a whole number from " + min + " to " + max + ".");
        }
        return number.intValue();
    }

    /** An optional UUID, or null. */
    public UUID optionalId(String name) {
        Object value = values.get(name);
        return value == null ? null : id(name, value);
    }

    /** A list of 1 to {@code maxItems} UUIDs. */
    public List<UUID> ids(String name, int maxItems) {
        if (!(values.get(name) instanceof List<?> list) || list.isEmpty() || list.size() > maxItems) {
            throw new InvalidToolArguments(name + ": a list of 1 to " + maxItems + " ids.");
        }
        List<UUID> ids = new ArrayList<>();
        for (Object item : list) {
            ids.add(id(name, item));
        }
        return ids;
    }

    private static UUID id(String name, Object value) {
        if (value instanceof String text) {
            try {
                return UUID.fromString(text.strip());
            }
            catch (IllegalArgumentException ex) {
                // falls through to the message below
            }
        }
        String shown = String.valueOf(value);
        shown = shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
        throw new InvalidToolArguments(name + ": '" + shown + "' is not an id (a UUID, as list_agents and the API show them).");
    }
}
