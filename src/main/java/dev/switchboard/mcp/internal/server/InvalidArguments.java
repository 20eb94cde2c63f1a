package dev.switchboard.mcp.internal.server;

/**
 * A tool call's arguments cannot be used; the message says which and why, and becomes the text of an
 * {@code isError} result (never a JSON-RPC error: the client's model should read it and correct the call).
 */
class InvalidArguments extends RuntimeException {

    InvalidArguments(String message) {
        super(message, null, false, false);
    }
}
