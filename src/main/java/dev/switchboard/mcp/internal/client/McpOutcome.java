package dev.switchboard.mcp.internal.client;

/** What one exchange with an external MCP server gave: a value, or why there is none. Never thrown. */
sealed interface McpOutcome<T> {

    record Done<T>(T value) implements McpOutcome<T> {
    }

    record Failed<T>(McpFailure failure, String message) implements McpOutcome<T> {

        @SuppressWarnings("unchecked")
        <U> Failed<U> as() {
            return (Failed<U>) this;
        }
    }
}
