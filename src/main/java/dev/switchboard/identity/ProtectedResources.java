package dev.switchboard.identity;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where MCP clients find out how to authenticate (RFC 9728, OAuth 2.0 Protected Resource Metadata): a 401 on the
 * MCP endpoint names the metadata document of the MCP resource, which names the resource, its authorization server,
 * the bearer method and the scope. The identity module writes the challenge and serves the documents (Spring
 * Security's resource server filter); the MCP module serves the endpoint. Addresses are built from the request
 * (scheme, host and port as the server sees them: behind a proxy, {@code server.forward-headers-strategy}).
 */
public final class ProtectedResources {

    /** The MCP endpoint: the protected resource MCP clients connect to. */
    public static final String MCP_PATH = "/api/mcp";

    /**
     * The well-known prefix of metadata documents (RFC 9728 section 3): the document of the resource
     * {@code <base><path>} is at {@code <base>/.well-known/oauth-protected-resource<path>}; the one at the bare prefix
     * describes the whole API ({@code <base>}).
     */
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private ProtectedResources() {
    }

    /** The URL of the MCP endpoint's metadata document, for the {@code resource_metadata} parameter of a 401. */
    public static String mcpMetadataUrl(HttpServletRequest request) {
        return ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString() + METADATA_PATH
                + MCP_PATH;
    }

    /** Whether the (normalised) path is the MCP endpoint or below it. */
    public static boolean isMcp(String path) {
        return path.equals(MCP_PATH) || path.startsWith(MCP_PATH + "/");
    }
}
