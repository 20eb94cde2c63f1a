package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Walks every operation of the OpenAPI document, as an attacker sweeping the API would, with four callers:
 * nobody, a member's session, an admin's chat-only key and another tenant's admin. Each answer must be the one
 * {@link #EXPECTED} lists; an operation missing from the table fails the test, so a new endpoint cannot ship
 * without someone deciding who may call it.
 *
 * <p>Bodies are empty JSON objects, so callers who pass the guard get a validation answer (400) rather than a
 * change; path ids name the first tenant's own user, key and persona where there is one (the other tenant's
 * admin must get 404, never 200), otherwise a random id (404 for whoever passes the guard). Sign-out runs last:
 * it ends the sessions it is allowed to end.
 */
@IntegrationTest
class EndpointGuardSweepIntegrationTests extends ApiTestSupport {

    /** Expected statuses: nobody, member, chat-only key (an admin's), another tenant's admin. */
    record Expected(int anonymous, int member, int chatKey, int otherAdmin) {

        List<Integer> asList() {
            return List.of(anonymous, member, chatKey, otherAdmin);
        }
    }

    static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    private static void expect(String operation, int anonymous, int member, int chatKey, int otherAdmin) {
        EXPECTED.put(operation, new Expected(anonymous, member, chatKey, otherAdmin));
    }

    static {
        // The answers once every guard is passed are validation (400: the body is {}), not found (404: a random or
        // another tenant's id), 415 (a JSON body to the multipart upload) or 200/204. /metrics answers loopback
        // callers without a token (see MetricsAccessFilter); the sweep runs on loopback.
        expect("DELETE /api/documents/{id}", 401, 403, 403, 404);
        expect("DELETE /api/keys/{id}", 401, 404, 403, 404);
        expect("DELETE /api/knowledge-bases/{id}", 401, 403, 403, 404);
        expect("DELETE /api/mcp/servers/{id}", 401, 403, 403, 404);
        expect("DELETE /api/personas/{id}", 401, 403, 403, 404);
        expect("DELETE /api/providers/{id}", 401, 403, 403, 404);
        expect("DELETE /api/sessions/{id}", 401, 404, 404, 404);
        expect("DELETE /api/sql/connections/{id}", 401, 403, 403, 404);
        expect("DELETE /api/users/{id}", 401, 403, 403, 404);
        expect("DELETE /v1/responses/{id}", 401, 404, 404, 404);
        expect("GET /.well-known/oauth-protected-resource", 200, 200, 200, 200);
        expect("GET /.well-known/oauth-protected-resource/api/mcp", 200, 200, 200, 200);
        expect("GET /api/agents", 401, 200, 200, 200);
        expect("GET /api/audit", 401, 403, 403, 200);
        expect("GET /api/auth/me", 401, 200, 200, 200);
        expect("GET /api/documents", 401, 400, 403, 400);
        expect("GET /api/documents/{id}", 401, 404, 403, 404);
        expect("GET /api/documents/{id}/chunks", 401, 404, 403, 404);
        expect("GET /api/documents/{id}/file", 401, 404, 403, 404);
        expect("GET /api/keys", 401, 200, 403, 200);
        expect("GET /api/keys/{id}/usage", 401, 200, 403, 404);
        expect("GET /api/knowledge-bases", 401, 200, 403, 200);
        expect("GET /api/knowledge-bases/{id}", 401, 404, 403, 404);
        expect("GET /api/knowledge/chunks/{id}", 401, 404, 403, 404);
        expect("GET /api/knowledge/index", 401, 403, 403, 200);
        expect("GET /api/mcp/tools", 401, 200, 403, 200);
        expect("GET /api/mcp/servers", 401, 403, 403, 200);
        expect("GET /api/mcp/servers/{id}", 401, 403, 403, 404);
        expect("GET /api/mcp/servers/{id}/tools", 401, 403, 403, 404);
        expect("GET /api/personas", 401, 200, 200, 200);
        expect("GET /api/personas/{idOrSlug}", 401, 200, 200, 404);
        expect("GET /api/personas/{id}/versions", 401, 403, 403, 404);
        expect("GET /api/providers", 401, 403, 403, 200);
        expect("GET /api/tools", 401, 403, 403, 200);
        expect("GET /api/providers/health", 401, 403, 403, 200);
        expect("GET /api/providers/{id}", 401, 403, 403, 404);
        expect("GET /api/providers/{id}/calls", 401, 403, 403, 404);
        expect("GET /api/sessions", 401, 200, 200, 200);
        expect("GET /api/sessions/{id}", 401, 404, 404, 404);
        expect("GET /api/sessions/{id}/export", 401, 404, 404, 404);
        expect("GET /api/sessions/{id}/messages", 401, 404, 404, 404);
        expect("GET /api/sql/connections", 401, 200, 403, 200);
        expect("GET /api/sql/connections/{id}", 401, 404, 403, 404);
        expect("GET /api/sql/connections/{id}/schema", 401, 404, 403, 404);
        expect("GET /api/usage", 401, 403, 403, 200);
        expect("GET /api/users", 401, 403, 403, 200);
        expect("GET /api/users/{id}", 401, 403, 403, 404);
        expect("GET /health", 200, 200, 200, 200);
        expect("GET /health/live", 200, 200, 200, 200);
        expect("GET /health/ready", 200, 200, 200, 200);
        expect("GET /metrics", 200, 200, 200, 200);
        expect("GET /v1/models", 401, 200, 200, 200);
        expect("GET /v1/responses/{id}", 401, 404, 404, 404);
        expect("PATCH /api/sessions/{id}", 401, 400, 400, 400);
        expect("PATCH /api/users/{id}", 401, 403, 403, 404);
        expect("POST /api/auth/login", 400, 400, 400, 400);
        expect("POST /api/auth/password", 401, 400, 403, 400);
        expect("POST /api/auth/refresh", 400, 400, 400, 400);
        expect("POST /api/auth/signup", 400, 400, 400, 400);
        expect("POST /api/chat", 401, 400, 400, 400);
        expect("POST /api/documents", 401, 403, 403, 415);
        expect("POST /api/documents/{id}/reindex", 401, 403, 403, 404);
        expect("POST /api/keys", 401, 400, 403, 400);
        expect("POST /api/knowledge-bases", 401, 403, 403, 400);
        expect("POST /api/knowledge/search", 401, 400, 403, 400);
        // A POST to the MCP server must accept both JSON and an event stream (the sweep's accepts neither): 406.
        expect("POST /api/mcp", 401, 406, 403, 406);
        expect("POST /api/mcp/servers", 401, 403, 403, 400);
        expect("POST /api/personas", 401, 403, 403, 400);
        // The sweep's {version} is not a number: 400 for an admin, before the persona (another tenant's) is looked up.
        expect("POST /api/personas/{id}/versions/{version}/restore", 401, 403, 403, 400);
        expect("POST /api/providers", 401, 403, 403, 400);
        expect("POST /api/providers/test", 401, 403, 403, 400);
        expect("POST /api/sql/ask", 401, 400, 403, 400);
        expect("POST /api/sql/connections", 401, 403, 403, 400);
        expect("POST /api/sql/connections/{id}/refresh", 401, 403, 403, 404);
        expect("POST /api/users", 401, 403, 403, 400);
        expect("POST /v1/chat/completions", 401, 400, 400, 400);
        expect("POST /v1/embeddings", 401, 400, 403, 400);
        expect("POST /v1/responses", 401, 400, 400, 400);
        expect("PUT /api/mcp/servers/{id}", 401, 403, 403, 404);
        expect("PUT /api/personas/{id}", 401, 403, 403, 400);
        expect("PUT /api/providers/{id}", 401, 403, 403, 404);
        expect("PUT /api/sql/connections/{id}", 401, 403, 403, 400);
        expect("POST /api/auth/logout", 400, 204, 403, 204);
    }

    /** Paths of test-only controllers, which the application does not ship. */
    private static final String TEST_ONLY = "/test/";

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    @Test
    void everyEndpointAnswersEachCallerAsTheTableSays() {
        Session admin = accounts.newTenantAdmin();
        Session member = accounts.newUser(admin, "MEMBER");
        Session otherAdmin = accounts.newTenantAdmin();
        String chatKey = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys",
                "{\"name\":\"sweep-chat\",\"scopes\":[\"chat\"]}")).path("key").asString();
        String memberKeyId = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"sweep\"}"))
                .path("id").asString();
        String personaId = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas",
                "{\"slug\":\"sweep\",\"name\":\"Sweep\",\"instructions\":\"Secret instructions.\"}")).path("id").asString();
        Map<String, String> ownIds = Map.of("/api/users/", member.userId().toString(), "/api/keys/", memberKeyId,
                "/api/personas/", personaId);

        List<String> operations = operations();
        List<String> missing = operations.stream().filter(operation -> !EXPECTED.containsKey(operation)).toList();
        List<String> stale = EXPECTED.keySet().stream().filter(operation -> !operations.contains(operation)).toList();
        List<String> wrong = new ArrayList<>();
        StringBuilder observed = new StringBuilder();
        for (String operation : operations) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = concrete(operation.substring(operation.indexOf(' ') + 1), method, ownIds);
            List<Integer> statuses = List.of(
                    send(method, path, null, null).statusCode(),
                    send(method, path, "Authorization", member.bearer()).statusCode(),
                    send(method, path, "X-API-Key", chatKey).statusCode(),
                    send(method, path, "Authorization", otherAdmin.bearer()).statusCode());
            observed.append(String.format(Locale.ROOT, "        expect(\"%s\", %d, %d, %d, %d);%n", operation,
                    statuses.get(0), statuses.get(1), statuses.get(2), statuses.get(3)));
            Expected expected = EXPECTED.get(operation);
            if (expected != null && !expected.asList().equals(statuses)) {
                wrong.add(operation + ": expected " + expected.asList() + " (nobody, member, chat key, other admin), got " + statuses);
            }
        }
        assertThat(missing).as("operations without expected answers; add them to EXPECTED. Observed:%n%s", observed).isEmpty();
        assertThat(stale).as("expected answers for operations that no longer exist").isEmpty();
        assertThat(wrong).as("operations answering a caller otherwise than expected").isEmpty();
    }

    /** Every operation of the OpenAPI document as "METHOD /path", sign-out last. */
    private List<String> operations() {
        HttpResponse<String> response = http.get("/api/docs/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = HttpTestClient.json(response).path("paths");
        List<String> operations = new ArrayList<>();
        for (String path : paths.propertyNames()) {
            if (path.startsWith(TEST_ONLY)) {
                continue;
            }
            for (String method : paths.path(path).propertyNames()) {
                if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        operations.sort(Comparator.comparing((String operation) -> operation.equals("POST /api/auth/logout"))
                .thenComparing(Comparator.naturalOrder()));
        return operations;
    }

    /** The path with its parameters filled in: the first tenant's own ids where there are some, except to delete. */
    private static String concrete(String template, String method, Map<String, String> ownIds) {
        Matcher parameters = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (parameters.find()) {
            String prefix = template.substring(0, parameters.start());
            String own = "DELETE".equals(method) ? null : ownIds.get(prefix);
            parameters.appendReplacement(path, own != null ? own : UUID.randomUUID().toString());
        }
        parameters.appendTail(path);
        return path.toString();
    }

    private HttpResponse<String> send(String method, String path, String header, String value) {
        HttpRequest.Builder request = http.request(path);
        if (header != null) {
            request.header(header, value);
        }
        if (List.of("POST", "PUT", "PATCH").contains(method)) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build());
    }
}
