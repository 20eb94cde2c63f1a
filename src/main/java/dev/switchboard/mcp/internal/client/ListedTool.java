package dev.switchboard.mcp.internal.client;

import java.util.regex.Pattern;

/**
 * A tool as an MCP server listed it ({@code tools/list}).
 *
 * @param name the server's name for it
 * @param description what the server says it does (untrusted text: the model reads it)
 * @param inputSchema the JSON Schema of its arguments, as JSON text
 */
record ListedTool(String name, String description, String inputSchema) {

    /** What the model-facing name {@code <server>__<tool>} may contain, and its length, as every provider accepts. */
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /**
     * The longest description kept: every call of the persona's model carries it, and a server could send a book.
     * 2,000 characters is about 500 tokens, several times the descriptions of common MCP servers' tools.
     */
    static final int MAX_DESCRIPTION = 2_000;

    /** The longest argument schema a model is offered (about 5,000 tokens); a tool with a longer one cannot be allowed. */
    static final int MAX_SCHEMA = 20_000;

    ListedTool {
        description = description == null ? "" : description.length() > MAX_DESCRIPTION
                ? description.substring(0, MAX_DESCRIPTION) + "…" : description;
    }

    /** The name the model calls the tool by when it comes from {@code server}: {@code <server>__<tool>}. */
    static String modelName(String server, String tool) {
        return server + "__" + tool;
    }

    /** Whether a model can be offered this tool of {@code server}: a name providers accept, a schema of bounded size. */
    boolean offerable(String server) {
        return MODEL_NAME.matcher(modelName(server, name)).matches() && inputSchema.length() <= MAX_SCHEMA;
    }
}
