package dev.switchboard.mcp.internal.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for the JSON schemas of the tools' arguments and results, so each tool reads as its contract. */
final class Schemas {

    private Schemas() {
    }

    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> string(String description, int maxLength) {
        return Map.of("type", "string", "description", description, "minLength", 1, "maxLength", maxLength);
    }

    static Map<String, Object> uuid(String description) {
        return Map.of("type", "string", "format", "uuid", "description", description);
    }

    static Map<String, Object> integer(String description, int minimum, int maximum, int fallback) {
        return Map.of("type", "integer", "description", description, "minimum", minimum, "maximum", maximum,
                "default", fallback);
    }

    static Map<String, Object> number(String description) {
        return Map.of("type", "number", "description", description);
    }

    static Map<String, Object> bool(String description) {
        return Map.of("type", "boolean", "description", description);
    }

    static Map<String, Object> array(Map<String, Object> items, String description) {
        return Map.of("type", "array", "items", items, "description", description);
    }

    /** Properties in the order given (schemas are read by people too). */
    static Map<String, Object> properties(Object... namesAndSchemas) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSchemas.length; i += 2) {
            properties.put((String) namesAndSchemas[i], namesAndSchemas[i + 1]);
        }
        return properties;
    }
}
