package dev.switchboard.mcp.internal.client;

import java.util.Arrays;
import java.util.Optional;

/** How Switchboard talks to an external MCP server: the two HTTP transports of the MCP specification. */
enum McpTransportKind {

    /** One endpoint for POSTs, answers as JSON or an SSE stream (protocol 2025-03-26 and later). */
    STREAMABLE_HTTP("streamable-http"),

    /** The older HTTP+SSE transport (2024-11-05): an SSE stream names the endpoint to POST messages to. */
    SSE("sse");

    private final String id;

    McpTransportKind(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    static Optional<McpTransportKind> of(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst();
    }
}
