package dev.switchboard.llm;

import java.util.List;

/**
 * What a tool call returned: text for the model, whether it is an error, the passages it found (which the answer
 * may cite, like retrieved ones) and, for MCP clients, structured content.
 *
 * @param content the text sent back to the model as the call's result (for an error, what went wrong)
 * @param error whether the call failed; the model sees the message and may try again or answer without it
 * @param passages passages the result consists of ({@code search_knowledge}), citable in the answer; empty otherwise
 * @param structuredContent the result as a JSON object for MCP clients, or null
 */
public record ToolResult(String content, boolean error, List<Passage> passages, String structuredContent) {

    public ToolResult {
        content = content == null ? "" : content;
        passages = passages == null ? List.of() : List.copyOf(passages);
    }

    /** A successful result of plain text. */
    public static ToolResult ok(String content) {
        return new ToolResult(content, false, List.of(), null);
    }

    /** A failed call, with a message the model or client can act on. */
    public static ToolResult error(String message) {
        return new ToolResult(message, true, List.of(), null);
    }
}
