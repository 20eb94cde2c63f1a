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

    ListedTool {
        description = description == null ? "" : description;
    }

    /** The name the model calls the tool by when it comes from {@code server}: {@code <server>__<tool>}. */
    static String modelName(String server, String tool) {
        return server + "__" + tool;
    }

    /** Whether a model can be offered this tool of {@code server} (providers accept only some names). */
    boolean offerable(String server) {
        return MODEL_NAME.matcher(modelName(server, name)).matches();
    }
}
