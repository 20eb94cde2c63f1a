package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A remote MCP connector connecting by URL alone, end to end over HTTP against the running application: it discovers
 * the authorization server from the MCP endpoint's 401 (RFC 9728, RFC 8414), registers itself (RFC 7591), sends the
 * user's browser to the authorization endpoint — sign-in page, consent page, redirect with a code — exchanges the
 * code with its PKCE verifier, and calls the MCP tools with the access token through the MCP Java SDK; then refreshes
 * (rotation), and loses access when the user is disabled or signs out everywhere.
 */
@IntegrationTest
class McpOAuthIntegrationTests extends ApiTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String REDIRECT = "http://127.0.0.1:43117/callback";

    @Autowired
    JdbcTemplate jdbc;

    Session admin;
    McpSyncClient client;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
        String knowledgeBaseId = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"HR\"}"))
                .path("id").asString();
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"description\":\"Answers HR questions.\","
                + "\"instructions\":\"You answer HR questions.\",\"membersAllowed\":true,\"knowledgeBaseIds\":[\"" + knowledgeBaseId
                + "\"]}");
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    /** The tokens a client holds after the flow. */
    record Tokens(String accessToken, String refreshToken, JsonNode response) {
    }

    @Test
    void aClientDiscoversRegistersSignsTheUserInAndCallsTheToolsWithItsToken() {
        // Discovery: the 401 names the resource metadata, which names the authorization server, which describes itself.
        HttpResponse<String> unauthorized = http.postJson("/api/mcp", "{}");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("resource_metadata=\"" + base() + "/.well-known/oauth-protected-resource/api/mcp\"");
        JsonNode resource = HttpTestClient.json(http.get("/.well-known/oauth-protected-resource/api/mcp"));
        assertThat(resource.path("authorization_servers").get(0).asString()).isEqualTo(base());
        JsonNode metadata = metadata();
        assertThat(metadata.path("issuer").asString()).isEqualTo(base());
        assertThat(metadata.path("registration_endpoint").asString()).isEqualTo(base() + "/oauth2/register");
        assertThat(metadata.path("code_challenge_methods_supported").valueStream().map(JsonNode::asString)).containsExactly("S256");
        assertThat(metadata.path("grant_types_supported").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
        assertThat(metadata.path("response_types_supported").valueStream().map(JsonNode::asString)).containsExactly("code");
        assertThat(metadata.path("token_endpoint_auth_methods_supported").valueStream().map(JsonNode::asString)).containsExactly("none");
        assertThat(metadata.path("scopes_supported").valueStream().map(JsonNode::asString)).containsExactly("mcp");

        JsonNode registered = register("Claude Test Connector");
        assertThat(registered.has("client_secret")).isFalse();
        assertThat(registered.path("token_endpoint_auth_method").asString()).isEqualTo("none");
        String clientId = registered.path("client_id").asString();

        OAuthBrowser browser = new OAuthBrowser(http);
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        String code = authorize(browser, clientId, pkce, admin.email(), "state-1");

        // A wrong verifier is refused in OAuth's error shape; the right one gets the tokens.
        HttpResponse<String> wrong = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", clientId, "code_verifier", OAuthBrowser.Pkce.create().verifier()));
        assertOAuthError(wrong, 400, "invalid_grant");
        Tokens tokens = exchange(clientId, code, pkce);
        assertThat(tokens.response().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.response().path("scope").asString()).isEqualTo("mcp");
        // A code works once.
        assertOAuthError(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id",
                clientId, "code_verifier", pkce.verifier())), 400, "invalid_grant");

        client = connect(tokens.accessToken());
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrder("search_knowledge", "ask_agent", "list_agents", "list_databases", "query_database");
        JsonNode agents = structured(client.callTool(McpSchema.CallToolRequest.builder("list_agents").arguments(Map.of()).build()));
        assertThat(agents.path("agents").findValuesAsString("slug")).containsExactly("hr");
        JsonNode search = structured(client.callTool(McpSchema.CallToolRequest.builder("search_knowledge")
                .arguments(Map.of("query", "holiday days", "agent", "hr")).build()));
        assertThat(search.path("query").asString()).isEqualTo("holiday days");

        // The token is the user's, scoped mcp: it works where mcp suffices and nowhere else.
        JsonNode me = HttpTestClient.json(http.get("/api/auth/me", "Authorization", "Bearer " + tokens.accessToken()));
        assertThat(me.path("id").asString()).isEqualTo(admin.userId().toString());
        assertThat(http.get("/api/mcp/tools", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/keys", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(403);
        assertThat(http.get("/api/users", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(403);
        assertThat(http.get("/api/agents", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(403);

        // The consent is audited in the user's tenant.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(HttpTestClient.json(accounts.send(admin, "GET",
                "/api/audit", null)).path("entries").valueStream().filter(e -> e.path("action").asString().equals("oauth.authorized"))
                .map(e -> e.path("details").path("clientName").asString())).contains("Claude Test Connector"));

        // Codes and tokens are stored as hashes only.
        List<Map<String, Object>> rows = jdbc.queryForList("select authorization_code_value, access_token_value, refresh_token_value, "
                + "tenant_id, user_id from oauth2_authorization where registered_client_id = (select id from oauth2_registered_client "
                + "where client_id = ?)", clientId);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("authorization_code_value")).asString().startsWith("sha256:").doesNotContain(code);
            assertThat(row.get("access_token_value")).asString().startsWith("sha256:");
            assertThat(row.get("refresh_token_value")).asString().startsWith("sha256:");
            assertThat(row.get("tenant_id")).hasToString(admin.tenantId().toString());
            assertThat(row.get("user_id")).hasToString(admin.userId().toString());
        });
    }

    @Test
    void refreshTokensRotateAndAUsedOneIsRefused() {
        String clientId = register("Rotating client").path("client_id").asString();
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        Tokens first = exchange(clientId, authorize(new OAuthBrowser(http), clientId, pkce, admin.email(), "s"), pkce);

        Tokens second = refresh(clientId, first.refreshToken());
        assertThat(second.refreshToken()).isNotEqualTo(first.refreshToken());
        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
        client = connect(second.accessToken());
        assertThat(client.listTools().tools()).isNotEmpty();

        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", first.refreshToken(), "client_id", clientId)),
                400, "invalid_grant");
        // Another client cannot use this client's refresh token.
        String other = register("Other client").path("client_id").asString();
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", second.refreshToken(), "client_id", other)),
                400, "invalid_grant");
        assertThat(refresh(clientId, second.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void disablingTheUserRevokesTheirAccessAndRefreshTokens() {
        Session member = accounts.newUser(admin, "MEMBER");
        String clientId = register("Member's client").path("client_id").asString();
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        Tokens tokens = exchange(clientId, authorize(new OAuthBrowser(http), clientId, pkce, member.email(), "s"), pkce);
        client = connect(tokens.accessToken());
        assertThat(client.listTools().tools()).isNotEmpty();
        client.closeGracefully();
        client = null;

        HttpResponse<String> disabled = accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"disabled\":true}");
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);

        assertThat(refusedStatus(tokens.accessToken())).isEqualTo(401);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refreshToken(), "client_id", clientId)),
                400, "invalid_grant");
    }

    @Test
    void deletingTheUserDeletesTheirAuthorizations() {
        Session member = accounts.newUser(admin, "MEMBER");
        String clientId = register("Deleted user's client").path("client_id").asString();
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        Tokens tokens = exchange(clientId, authorize(new OAuthBrowser(http), clientId, pkce, member.email(), "s"), pkce);
        String rows = "select count(*) from oauth2_authorization where user_id = ?";
        assertThat(jdbc.queryForObject(rows, Long.class, member.userId())).isEqualTo(1);

        assertThat(accounts.send(admin, "DELETE", "/api/users/" + member.userId(), null).statusCode()).isEqualTo(204);

        assertThat(jdbc.queryForObject(rows, Long.class, member.userId())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from oauth2_authorization_consent where user_id = ?", Long.class,
                member.userId())).isZero();
        assertThat(http.get("/api/mcp/tools", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(401);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refreshToken(), "client_id", clientId)),
                400, "invalid_grant");
    }

    @Test
    void signingOutEverywhereRevokesTheTokensOfEveryClient() {
        String clientId = register("Signed-out client").path("client_id").asString();
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        Tokens tokens = exchange(clientId, authorize(new OAuthBrowser(http), clientId, pkce, admin.email(), "s"), pkce);
        assertThat(http.get("/api/mcp/tools", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(200);

        assertThat(accounts.send(admin, "POST", "/api/auth/logout", null).statusCode()).isEqualTo(204);

        assertThat(http.get("/api/mcp/tools", "Authorization", "Bearer " + tokens.accessToken()).statusCode()).isEqualTo(401);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.refreshToken(), "client_id", clientId)),
                400, "invalid_grant");
    }

    @Test
    void aTokenOfTenantANeverSeesTenantBsAgents() {
        Session other = accounts.newTenantAdmin();
        accounts.send(other, "POST", "/api/personas", "{\"slug\":\"own\",\"name\":\"Own\",\"instructions\":\"x\",\"membersAllowed\":true}");
        String clientId = register("Shared client").path("client_id").asString();
        OAuthBrowser.Pkce pkce = OAuthBrowser.Pkce.create();
        Tokens tokens = exchange(clientId, authorize(new OAuthBrowser(http), clientId, pkce, other.email(), "s"), pkce);

        client = connect(tokens.accessToken());
        JsonNode agents = structured(client.callTool(McpSchema.CallToolRequest.builder("list_agents").arguments(Map.of()).build()));
        assertThat(agents.path("agents").findValuesAsString("slug")).containsExactly("own");
        McpSchema.CallToolResult foreign = client.callTool(McpSchema.CallToolRequest.builder("search_knowledge")
                .arguments(Map.of("query", "holiday", "agent", "hr")).build());
        assertThat(foreign.isError()).isTrue();
        assertThat(text(foreign)).contains("no agent 'hr'");
    }

    @Test
    void theSignInPageRefusesAWrongPasswordAndGoesOnlyToAuthorizationRequests() {
        String clientId = register("Careful client").path("client_id").asString();
        OAuthBrowser browser = new OAuthBrowser(http);
        String signIn = OAuthBrowser.location(browser.get(authorizeUrl(clientId, OAuthBrowser.Pkce.create(), "s")));
        HttpResponse<String> page = browser.get(signIn);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("Careful client").doesNotContain("<script", "style=");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("form-action 'self' http://127.0.0.1:*").contains("script-src 'self'");

        Map<String, String> form = new LinkedHashMap<>(OAuthBrowser.hiddenFields(page.body()));
        form.put("email", admin.email());
        form.put("password", "not-the-password-at-all");
        HttpResponse<String> refused = browser.postForm("/oauth2/sign-in", form);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("password is wrong");
        assertThat(browser.hasCookie("SB_SESSION")).isFalse();

        // Without the CSRF token the form is refused.
        Map<String, String> forged = new LinkedHashMap<>(form);
        forged.remove("_csrf");
        forged.put("password", Accounts.PASSWORD);
        assertThat(browser.postForm("/oauth2/sign-in", forged).statusCode()).isEqualTo(403);

        // A continuation elsewhere is dropped: the user stays on the page, signed in.
        form.put("password", Accounts.PASSWORD);
        form.put("continue", "https://evil.example/steal");
        HttpResponse<String> signedIn = browser.postForm("/oauth2/sign-in", form);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).contains("You are signed in");
        assertThat(browser.hasCookie("SB_SESSION")).isTrue();
    }

    @Test
    void theAuthorizationEndpointRequiresPkceAndOffersNoImplicitGrant() {
        String clientId = register("Strict client").path("client_id").asString();
        OAuthBrowser browser = new OAuthBrowser(http);
        signIn(browser, admin.email());

        HttpResponse<String> withoutPkce = browser.get("/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                + REDIRECT + "&scope=mcp&state=s");
        assertThat(OAuthBrowser.redirectParameters(withoutPkce)).containsEntry("error", "invalid_request");
        HttpResponse<String> plain = browser.get("/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                + REDIRECT + "&scope=mcp&state=s&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghijabc&code_challenge_method=plain");
        assertThat(OAuthBrowser.redirectParameters(plain)).containsEntry("error", "invalid_request");
        HttpResponse<String> implicit = browser.get("/oauth2/authorize?response_type=token&client_id=" + clientId + "&redirect_uri="
                + REDIRECT + "&scope=mcp&state=s");
        assertOAuthError(implicit, 400, "unsupported_response_type", "invalid_request");
        HttpResponse<String> unregistered = browser.get(authorizeUrl(clientId, OAuthBrowser.Pkce.create(), "s")
                .replace("43117%2Fcallback", "43117%2Felsewhere"));
        assertOAuthError(unregistered, 400, "invalid_request");
        HttpResponse<String> otherScope = browser.get(authorizeUrl(clientId, OAuthBrowser.Pkce.create(), "s").replace("scope=mcp",
                "scope=admin"));
        assertThat(OAuthBrowser.redirectParameters(otherScope)).containsEntry("error", "invalid_scope");

        assertOAuthError(token(Map.of("grant_type", "password", "username", admin.email(), "password", Accounts.PASSWORD,
                "client_id", clientId)), 400, "invalid_client", "unsupported_grant_type");
    }

    @Test
    void denyingConsentSendsAccessDeniedToTheClient() {
        String clientId = register("Denied client").path("client_id").asString();
        OAuthBrowser browser = new OAuthBrowser(http);
        signIn(browser, admin.email());
        String consent = OAuthBrowser.location(browser.get(authorizeUrl(clientId, OAuthBrowser.Pkce.create(), "deny-state")));
        HttpResponse<String> page = browser.get(consent);
        assertThat(page.body()).contains("Denied client").contains(admin.email()).contains("mcp").contains("127.0.0.1");
        Map<String, String> fields = OAuthBrowser.hiddenFields(page.body());
        HttpResponse<String> denied = browser.postForm("/oauth2/authorize", Map.of("client_id", clientId, "state", fields.get("state")));
        assertThat(denied.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT);
        assertThat(OAuthBrowser.redirectParameters(denied)).containsEntry("error", "access_denied").containsEntry("state", "deny-state");
    }

    @Test
    void registrationAcceptsOnlyPublicClientsWithSafeRedirects() {
        assertRegistrationRefused("{\"redirect_uris\":[\"http://attacker.example/cb\"],\"token_endpoint_auth_method\":\"none\"}",
                "invalid_redirect_uri");
        assertRegistrationRefused("{\"redirect_uris\":[\"javascript:alert(1)\"],\"token_endpoint_auth_method\":\"none\"}",
                "invalid_redirect_uri");
        assertRegistrationRefused("{\"redirect_uris\":[\"https://app.example/cb#x\"],\"token_endpoint_auth_method\":\"none\"}",
                "invalid_redirect_uri");
        // Spring refuses an empty list while reading the request.
        assertRegistrationRefused("{\"redirect_uris\":[],\"token_endpoint_auth_method\":\"none\"}", "invalid_request");
        assertRegistrationRefused("{\"redirect_uris\":[\"https://app.example/cb\"],\"token_endpoint_auth_method\":\"client_secret_basic\"}",
                "invalid_client_metadata");
        assertRegistrationRefused("{\"redirect_uris\":[\"https://app.example/cb\"],\"token_endpoint_auth_method\":\"none\","
                + "\"grant_types\":[\"client_credentials\"]}", "invalid_client_metadata");
        assertRegistrationRefused("{\"redirect_uris\":[\"https://app.example/cb\"],\"token_endpoint_auth_method\":\"none\","
                + "\"scope\":\"mcp admin\"}", "invalid_client_metadata");

        HttpResponse<String> web = http.postJson("/oauth2/register", "{\"client_name\":\"Web connector\",\"redirect_uris\":"
                + "[\"https://connector.example/oauth/callback\",\"http://localhost:6274/cb\"],\"token_endpoint_auth_method\":\"none\"}");
        assertThat(web.statusCode()).as(web.body()).isEqualTo(201);
        JsonNode client = HttpTestClient.json(web);
        assertThat(client.path("scope").asString()).isEqualTo("mcp");
        assertThat(client.path("grant_types").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("authorization_code", "refresh_token");
    }

    // --- the flow, step by step ---

    String base() {
        return "http://127.0.0.1:" + port;
    }

    JsonNode metadata() {
        HttpResponse<String> response = http.get("/.well-known/oauth-authorization-server");
        assertThat(response.statusCode()).isEqualTo(200);
        return HttpTestClient.json(response);
    }

    JsonNode register(String name) {
        HttpResponse<String> response = http.postJson("/oauth2/register", "{\"client_name\":\"" + name + "\",\"redirect_uris\":[\""
                + REDIRECT + "\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"response_types\":[\"code\"],\"scope\":\"mcp\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return HttpTestClient.json(response);
    }

    String authorizeUrl(String clientId, OAuthBrowser.Pkce pkce, String state) {
        return "/oauth2/authorize?" + OAuthBrowser.encode(new LinkedHashMap<>(Map.of("response_type", "code", "client_id", clientId,
                "redirect_uri", REDIRECT, "scope", "mcp", "state", state, "code_challenge", pkce.challenge(), "code_challenge_method",
                "S256", "resource", base() + "/api/mcp")));
    }

    /** The browser's part: authorization request, sign-in page, consent page, redirect with the code. */
    String authorize(OAuthBrowser browser, String clientId, OAuthBrowser.Pkce pkce, String email, String state) {
        HttpResponse<String> toSignIn = browser.get(authorizeUrl(clientId, pkce, state));
        String signIn = OAuthBrowser.location(toSignIn);
        assertThat(signIn).startsWith("/oauth2/sign-in?continue=");
        HttpResponse<String> page = browser.get(signIn);
        assertThat(page.statusCode()).isEqualTo(200);
        Map<String, String> form = new LinkedHashMap<>(OAuthBrowser.hiddenFields(page.body()));
        assertThat(form).containsKeys("_csrf", "continue");
        form.put("email", email);
        form.put("password", Accounts.PASSWORD);
        String back = OAuthBrowser.location(browser.postForm("/oauth2/sign-in", form));
        assertThat(back).startsWith("/oauth2/authorize?");

        String consent = OAuthBrowser.location(browser.get(back));
        assertThat(consent).startsWith("/oauth2/consent?");
        HttpResponse<String> consentPage = browser.get(consent);
        assertThat(consentPage.statusCode()).as(consentPage.body()).isEqualTo(200);
        Map<String, String> allow = new LinkedHashMap<>(OAuthBrowser.hiddenFields(consentPage.body()));
        assertThat(allow).containsEntry("client_id", clientId).containsEntry("scope", "mcp");
        HttpResponse<String> redirect = browser.postForm("/oauth2/authorize", allow);
        assertThat(redirect.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?");
        Map<String, String> parameters = OAuthBrowser.redirectParameters(redirect);
        assertThat(parameters).containsEntry("state", state).containsKey("code");
        return parameters.get("code");
    }

    void signIn(OAuthBrowser browser, String email) {
        HttpResponse<String> page = browser.get("/oauth2/sign-in");
        Map<String, String> form = new LinkedHashMap<>(OAuthBrowser.hiddenFields(page.body()));
        form.put("email", email);
        form.put("password", Accounts.PASSWORD);
        assertThat(browser.postForm("/oauth2/sign-in", form).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> token(Map<String, String> form) {
        return http.send(http.request("/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(OAuthBrowser.encode(form))).build());
    }

    Tokens exchange(String clientId, String code, OAuthBrowser.Pkce pkce) {
        return tokens(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id", clientId,
                "code_verifier", pkce.verifier(), "resource", base() + "/api/mcp")));
    }

    Tokens refresh(String clientId, String refreshToken) {
        return tokens(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId)));
    }

    static Tokens tokens(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = HttpTestClient.json(response);
        assertThat(body.path("refresh_token").asString()).isNotBlank();
        return new Tokens(body.path("access_token").asString(), body.path("refresh_token").asString(), body);
    }

    static void assertOAuthError(HttpResponse<String> response, int status, String... codes) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(HttpTestClient.json(response).path("error").asString()).isIn((Object[]) codes);
    }

    void assertRegistrationRefused(String body, String... error) {
        HttpResponse<String> response = http.postJson("/oauth2/register", body);
        assertOAuthError(response, 400, error);
        assertThat(HttpTestClient.json(response).path("error_description").asString()).isNotBlank();
    }

    McpSyncClient connect(String accessToken) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base()).endpoint("/api/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + accessToken))
                .build();
        McpSyncClient connected = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        connected.initialize();
        return connected;
    }

    int refusedStatus(String accessToken) {
        Throwable failure = catchThrowable(() -> connect(accessToken));
        while (failure != null && !(failure instanceof McpHttpClientTransportAuthorizationException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("an authorization failure").isNotNull();
        return ((McpHttpClientTransportAuthorizationException) failure).getResponseInfo().statusCode();
    }

    static JsonNode structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return JSON.valueToTree(result.structuredContent());
    }

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance).map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }
}
