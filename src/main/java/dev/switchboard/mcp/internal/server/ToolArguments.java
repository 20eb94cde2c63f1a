package dev.switchboard.mcp.internal.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A call's arguments as the client sent them, read with the checks each tool needs. The SDK has already checked
 * them against the tool's input schema; these checks say in words what a schema cannot (which id is malformed).
 */
final class ToolArguments {

    private final Map<String, Object> values;

    ToolArguments(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    /** A required text of 1 to {@code maxLength} characters (blank counts as missing). */
    String text(String name, int maxLength) {
        Object value = values.get(name);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidArguments(name + ": required, a non-empty string.");
        }
        if (text.length() > maxLength) {
            throw new InvalidArguments(name + ": at most " + maxLength + " characters (this one has " + text.length() + ").");
        }
        return text;
    }

    /** An optional text, or null. */
    String optionalText(String name, int maxLength) {
        return has(name) ? text(name, maxLength) : null;
    }

    /** An optional whole number between {@code min} and {@code max}, or {@code fallback}. */
    int integer(String name, int min, int max, int fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.doubleValue() < min || number.doubleValue() > max) {
            throw new InvalidArguments(name + ": a whole number from " + min + " to " + max + ".");
        }
        return number.intValue();
    }

    /** An optional UUID, or null. */
    UUID optionalId(String name) {
        Object value = values.get(name);
        return value == null ? null : id(name, value);
    }

    /** A list of 1 to {@code maxItems} UUIDs. */
    List<UUID> ids(String name, int maxItems) {
        if (!(values.get(name) instanceof List<?> list) || list.isEmpty() || list.size() > maxItems) {
            throw new InvalidArguments(name + ": a list of 1 to " + maxItems + " ids.");
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
        throw new InvalidArguments(name + ": '" + shown + "' is not an id (a UUID, as list_agents and the API show them).");
    }
}
