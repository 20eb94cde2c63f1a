package dev.switchboard.mcp.internal.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An external MCP server a tenant registered as a tool source.
 *
 * @param id its id
 * @param name its slug, the {@code <server>} of its tools' names {@code <server>/<tool>}
 * @param url the MCP endpoint (Streamable HTTP) or the SSE endpoint (SSE)
 * @param transport how to talk to it
 * @param authHeaderName the header that carries its credential, or null for none
 * @param authHeaderValue the credential (decrypted; never shown, never logged), or null for none
 * @param allowedTools the names of its tools personas may be given (explicit: none by default)
 * @param approvedTools the definitions of the allowed tools as listed when an administrator last saved the
 *        server: what models are told, so that a server changing a description later cannot change it
 * @param tools what it listed at the last refresh
 * @param timeout the longest one call (connecting, initializing and the call itself) may take
 * @param toolsRefreshedAt when {@code tools} was listed
 */
record McpServer(UUID id, String name, String url, McpTransportKind transport, String authHeaderName, String authHeaderValue,
        List<String> allowedTools, List<ListedTool> approvedTools, List<ListedTool> tools, Duration timeout,
        Instant toolsRefreshedAt) {

    McpServer {
        allowedTools = List.copyOf(allowedTools);
        approvedTools = List.copyOf(approvedTools);
        tools = List.copyOf(tools);
    }

    /** Never the credential: a record's own {@code toString} would print it wherever a server is logged. */
    @Override
    public String toString() {
        return "McpServer[id=" + id + ", name=" + name + ", url=" + url + ", transport=" + transport.id() + ", credential="
                + (hasCredential() ? "set" : "none") + ", allowedTools=" + allowedTools + ", timeout=" + timeout + "]";
    }

    boolean hasCredential() {
        return authHeaderValue != null && !authHeaderValue.isEmpty();
    }

    /** The approved definition of an allowed tool the server still lists, if it is one. */
    Optional<ListedTool> offered(String tool) {
        if (!allowedTools.contains(tool) || tools.stream().noneMatch(listed -> listed.name().equals(tool))) {
            return Optional.empty();
        }
        return approvedTools.stream().filter(approved -> approved.name().equals(tool)).findFirst();
    }

    /** The allowed tools it still lists, with their approved definitions. */
    List<ListedTool> offered() {
        return allowedTools.stream().map(this::offered).flatMap(Optional::stream).toList();
    }

    McpServer withTools(List<ListedTool> listed, Instant at) {
        return new McpServer(id, name, url, transport, authHeaderName, authHeaderValue, allowedTools, approvedTools, listed,
                timeout, at);
    }
}
