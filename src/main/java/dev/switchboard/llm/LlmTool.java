package dev.switchboard.llm;

import java.util.Objects;

/**
 * A tool a model may call: sent with a request in each provider's wire format (OpenAI {@code tools}, Anthropic
 * {@code tools}, Gemini {@code functionDeclarations}, Ollama {@code tools}). Switchboard, not the model client,
 * runs the tool and sends its result back as a {@link LlmMessage.Role#TOOL} message.
 *
 * @param name the name the model calls it by ({@code [a-zA-Z0-9_-]}, at most 64 characters, as every provider
 *        accepts)
 * @param description what the tool does and when to use it, for the model
 * @param parametersSchema the JSON Schema of its arguments, an object schema as JSON text
 */
public record LlmTool(String name, String description, String parametersSchema) {

    public LlmTool {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("A tool name is 1 to 64 letters, digits, '_' or '-': " + name);
        }
        description = description == null ? "" : description;
        parametersSchema = parametersSchema == null || parametersSchema.isBlank()
                ? "{\"type\":\"object\",\"properties\":{}}" : parametersSchema;
    }
}
