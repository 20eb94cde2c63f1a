package dev.switchboard.mcp.internal.server;

import java.util.List;

import io.modelcontextprotocol.spec.McpSchema;

/** The two shapes of a tool result: an answer (text and structured content) or an error the client can act on. */
final class ToolResults {

    private ToolResults() {
    }

    /** A successful result: {@code text} for models that read text, {@code structured} for clients that read JSON. */
    static McpSchema.CallToolResult ok(String text, Object structured) {
        return McpSchema.CallToolResult.builder().content(List.of(McpSchema.TextContent.builder(text).build()))
                .structuredContent(structured).isError(false).build();
    }

    /** A failed call: {@code isError: true} with a message that says what to change. */
    static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().content(List.of(McpSchema.TextContent.builder(message).build())).isError(true).build();
    }
}
