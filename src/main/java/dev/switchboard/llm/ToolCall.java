package dev.switchboard.llm;

import java.util.Base64;
import java.util.Objects;

/**
 * A call of a tool a model asked for.
 *
 * @param id the provider's id of the call, which the tool's result must quote (Gemini and Ollama send none:
 *        Switchboard makes one up)
 * @param name the tool's name
 * @param arguments the arguments as JSON text, as the model wrote them (not validated against the schema)
 * @param signature opaque state the provider wants back with the call when the conversation continues
 *        (Gemini's thought signature, base64), or null; keep it with the call and send it back unchanged
 */
public record ToolCall(String id, String name, String arguments, String signature) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
        if (signature != null) {
            try {
                Base64.getDecoder().decode(signature);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("A tool call's signature is base64 as the router returned it", ex);
            }
        }
    }

    public ToolCall(String id, String name, String arguments) {
        this(id, name, arguments, null);
    }
}
