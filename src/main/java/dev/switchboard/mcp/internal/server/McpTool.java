package dev.switchboard.mcp.internal.server;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.ToolArguments;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * One tool of Switchboard's MCP server, run for an authenticated caller with the caller's tenant current. A tool
 * never throws for an expected failure: bad arguments ({@link InvalidToolArguments}), an agent or knowledge base the
 * caller may not use, a refused turn — each becomes a result with {@code isError: true} (see {@link McpToolCalls}).
 */
interface McpTool {

    /** Name, description and the JSON schemas of the arguments and of the structured result. */
    McpSchema.Tool definition();

    /** Runs one call. */
    McpSchema.CallToolResult call(Caller caller, ToolArguments arguments);
}
