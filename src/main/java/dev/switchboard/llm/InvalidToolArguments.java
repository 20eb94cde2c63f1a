package dev.switchboard.llm;

/**
 * A tool call's arguments cannot be used; the message names the argument and says what it needs. A tool turns it
 * into an {@link ToolResult#error(String) error result} (for MCP clients, {@code isError: true}, never a protocol
 * error): the model reads it and corrects the call.
 */
public class InvalidToolArguments extends RuntimeException {

    public InvalidToolArguments(String message) {
        super(message, null, false, false);
    }
}
