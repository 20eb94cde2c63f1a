package dev.switchboard.llm;

/**
 * A tool a persona's model may call, run by Switchboard (never by a model client). Modules contribute tools as
 * beans — {@code knowledge} contributes {@code search_knowledge}, {@code chat} contributes {@code ask_agent} —
 * or through a {@link ToolSource} when the set changes at run time (the tools of registered MCP servers); the
 * chat turn and the MCP server find them by name through the {@link ToolCatalog}, so no module depends on the
 * one that provides a tool.
 * <p>
 * A tool never throws for a bad call: bad arguments, an unknown agent, a failed or slow dependency all become a
 * {@link ToolResult#error(String) error result} with a message the model (or an MCP client) can act on.
 */
public interface Tool {

    /**
     * The name personas list in {@code allowedTools}: a built-in tool's plain name ({@code search_knowledge}) or
     * an external one's {@code <server>/<tool>}.
     */
    String name();

    /**
     * What the model is told: the name it calls the tool by (letters, digits, {@code _} and {@code -} only, so an
     * external tool's {@code /} becomes {@code __}), a description and the JSON schema of the arguments.
     */
    LlmTool definition();

    /**
     * Runs one call.
     *
     * @param context who calls, for which persona, how deep in a chain of agents, and until when
     * @param arguments the arguments as JSON text, as the model wrote them (validate them: models get them wrong)
     * @return the result, an {@link ToolResult#error(String) error result} for anything that went wrong
     */
    ToolResult call(ToolContext context, String arguments);
}
