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
 * own base URL; the OAuth endpoints for remote connectors are a later stage, until then a client sends an API key or
 * an access token — and the scopes the resource takes: {@code mcp} for the MCP endpoint, every scope for the API.
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
