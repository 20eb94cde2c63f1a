package dev.switchboard.identity.internal.web;

import java.util.function.Supplier;

import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

import dev.switchboard.identity.ProtectedResources;
import dev.switchboard.identity.Scopes;
import dev.switchboard.identity.internal.token.CallerAuthentication;

/**
 * The one place that says what each area of the API needs. A credential without an area's scope is refused
 * (403) on every endpoint of the area; an admin area needs {@code ROLE_ADMIN}, which a caller has exactly when
 * it {@link dev.switchboard.identity.Caller#actsAsAdmin() acts as admin}. An API path not listed here is
 * refused for everyone: a new endpoint is closed until it is given an area (and the endpoint sweep test fails
 * until its expected answers are listed).
 *
 * <p>Controllers may check more (ownership, a persona members may use), never less.
 */
final class ApiAreas {

    static final String ADMIN_ROLE = "ADMIN";

    private ApiAreas() {
    }

    static void authorize(AuthorizeHttpRequestsConfigurer<?>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests
                // Signing in proves itself; logout with a refresh token needs nothing more than that token.
                .requestMatchers(HttpMethod.POST, "/api/auth/login", "/api/auth/refresh", "/api/auth/signup").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/auth/logout").access(anonymousOrScope(Scopes.ADMIN))
                .requestMatchers(HttpMethod.POST, "/api/auth/password").hasAuthority(CallerAuthentication.SESSION_AUTHORITY)
                .requestMatchers(HttpMethod.GET, "/api/auth/me").authenticated()
                .requestMatchers("/api/docs", "/api/docs/**", "/api/swagger-ui/**").permitAll()
                // How MCP clients learn to authenticate (RFC 9728): public by definition.
                .requestMatchers(HttpMethod.GET, ProtectedResources.METADATA_PATH, ProtectedResources.METADATA_PATH + "/**")
                .permitAll()
                // External MCP servers personas may use as tool sources: administration (before the MCP area it lies in).
                .requestMatchers("/api/mcp/servers", "/api/mcp/servers/**").hasRole(ADMIN_ROLE)
                // The MCP server (Streamable HTTP) and its tool list; each tool applies the caller's rights as REST does.
                // Named exactly, not /api/mcp/**: other endpoints under /api/mcp (administration) need their own area.
                .requestMatchers(ProtectedResources.MCP_PATH, ProtectedResources.MCP_PATH + "/tools")
                .hasAuthority(Scopes.authority(Scopes.MCP))
                // The caller's own account: keys and usage. A session carries every scope; a key needs admin.
                .requestMatchers("/api/keys", "/api/keys/**").hasAuthority(Scopes.authority(Scopes.ADMIN))
                // OpenAI-compatible embeddings: the knowledge index's model, so knowledge reading (before the chat area's /v1).
                .requestMatchers(HttpMethod.POST, "/v1/embeddings").hasAuthority(Scopes.authority(Scopes.KNOWLEDGE_READ))
                // Chat, and what chat clients read to choose an agent.
                .requestMatchers("/api/chat", "/api/chat/**", "/api/sessions", "/api/sessions/**", "/v1/**", "/api/agents")
                .hasAuthority(Scopes.authority(Scopes.CHAT))
                .requestMatchers(HttpMethod.GET, "/api/personas", "/api/personas/{idOrSlug}")
                .hasAuthority(Scopes.authority(Scopes.CHAT))
                // Knowledge: reading and searching, changing (admins only).
                .requestMatchers(HttpMethod.GET, "/api/knowledge-bases", "/api/knowledge-bases/**", "/api/documents",
                        "/api/documents/**", "/api/knowledge/chunks/**").hasAuthority(Scopes.authority(Scopes.KNOWLEDGE_READ))
                .requestMatchers(HttpMethod.POST, "/api/knowledge/search").hasAuthority(Scopes.authority(Scopes.KNOWLEDGE_READ))
                .requestMatchers("/api/knowledge-bases", "/api/knowledge-bases/**", "/api/documents", "/api/documents/**")
                .access(AuthorizationManagers.allOf(AuthorityAuthorizationManager.hasRole(ADMIN_ROLE),
                        AuthorityAuthorizationManager.hasAuthority(Scopes.authority(Scopes.KNOWLEDGE_WRITE))))
                // Registered databases: members list, read and ask questions of those shared with them; the rest is
                // administration.
                .requestMatchers(HttpMethod.GET, "/api/sql/connections", "/api/sql/connections/{id}",
                        "/api/sql/connections/{id}/schema").hasAuthority(Scopes.authority(Scopes.SQL))
                .requestMatchers(HttpMethod.POST, "/api/sql/ask").hasAuthority(Scopes.authority(Scopes.SQL))
                .requestMatchers("/api/sql/connections", "/api/sql/connections/**").hasRole(ADMIN_ROLE)
                // Administration of the tenant.
                .requestMatchers("/api/usage", "/api/users", "/api/users/**", "/api/providers", "/api/providers/**",
                        "/api/audit", "/api/audit/**", "/api/personas", "/api/personas/**", "/api/knowledge/index")
                .hasRole(ADMIN_ROLE)
                // The tools a persona may be allowed (the persona editor's choices).
                .requestMatchers("/api/tools").hasRole(ADMIN_ROLE)
                .requestMatchers("/api/**", "/v1/**").denyAll()
                .anyRequest().permitAll();
    }

    /** Nobody signed in (the request proves itself otherwise), or a credential with {@code scope}. */
    private static AuthorizationManager<RequestAuthorizationContext> anonymousOrScope(String scope) {
        String authority = Scopes.authority(scope);
        return (Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) -> {
            Authentication current = authentication.get();
            boolean anonymous = !(current instanceof CallerAuthentication);
            return new AuthorizationDecision(anonymous || current.getAuthorities().stream()
                    .anyMatch(granted -> authority.equals(granted.getAuthority())));
        };
    }
}
