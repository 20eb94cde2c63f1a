package dev.switchboard.identity.internal.web;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.web.util.UriComponentsBuilder;

import dev.switchboard.identity.ProtectedResources;
import dev.switchboard.identity.Scopes;

/**
 * Completes the RFC 9728 documents Spring Security's resource server serves under
 * {@code /.well-known/oauth-protected-resource} (it fills {@code resource} from the path and
 * {@code bearer_methods_supported: [header]}): Switchboard itself as the authorization server — its issuer is its
 * own base URL, where {@code /.well-known/oauth-authorization-server} describes it (see
 * {@code identity.internal.oauth}) — and the scopes the resource takes: {@code mcp} for the MCP endpoint, every scope
 * for the API (OAuth clients can only be granted {@code mcp}; the others are for API keys and sessions).
 */
final class ResourceMetadata implements Consumer<OAuth2ProtectedResourceMetadata.Builder> {

    @Override
    public void accept(OAuth2ProtectedResourceMetadata.Builder metadata) {
        metadata.resourceName("Switchboard").claims(claims -> {
            String resource = String.valueOf(claims.get("resource"));
            String base = UriComponentsBuilder.fromUriString(resource).replacePath(null).build().toUriString();
            claims.put("authorization_servers", List.of(base));
            boolean mcp = resource.equals(base + ProtectedResources.MCP_PATH);
            claims.put("scopes_supported", mcp ? List.of(Scopes.MCP) : Scopes.ALL.stream().sorted().toList());
        });
    }
}
