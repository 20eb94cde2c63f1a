package dev.switchboard.llm;

import java.util.Objects;

/**
 * A call of a tool a model asked for.
 *
 * @param id the provider's id of the call, which the tool's result must quote (Gemini and Ollama send none:
 *        Switchboard makes one up)
 * @param name the tool's name
 * @param arguments the arguments as JSON text, as the model wrote them (not validated against the schema)
 */
public record ToolCall(String id, String name, String arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
