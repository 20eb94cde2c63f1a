package dev.switchboard.mcp.internal.client;

/**
 * Why talking to an external MCP server failed, in words an administrator (on save) or a model (in a tool result)
 * can act on. Never the server's own error text, except a JSON-RPC error's message from a tool call, which goes to
 * the model inside the untrusted-data delimiters.
 */
enum McpFailure {

    /** The outbound address policy forbids the destination; the message names host and range. */
    REFUSED,
    /** No connection: the host does not resolve, nothing listens, or the connection broke. */
    UNREACHABLE,
    /** No answer within the server's timeout. */
    TIMED_OUT,
    /** HTTP 401 or 403: the credential is missing or wrong. */
    UNAUTHORIZED,
    /** An answer that is not MCP: an HTTP error, a body that is not JSON-RPC, a server without tools. */
    NOT_MCP,
    /** A JSON-RPC error answer to the request (an unknown tool, invalid arguments). */
    ERROR_ANSWER;

    /** A failure of this kind with its message. */
    McpOutcome.Failed<?> with(String message) {
        return new McpOutcome.Failed<>(this, message);
    }
}
