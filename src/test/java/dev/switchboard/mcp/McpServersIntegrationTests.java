package dev.switchboard.mcp;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.fakemcp.FakeMcpServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/**
 * Administrators register external MCP servers over {@code /api/mcp/servers}: each is tested on save (initialize and
 * list tools against a real fake server) and nothing is saved when that fails; the credential is stored sealed
 * and never returned; members may not administer them; one tenant never sees another's.
 */
@IntegrationTest
@Import(McpClientTestConfiguration.class)
class McpServersIntegrationTests extends ApiTestSupport {

    static final FakeMcpServer SERVER = FakeMcpServer.start();
    static final String SECRET = "Bearer mcp-secret-0123456789";

    @Autowired
    JdbcTemplate jdbc;

    Session admin;

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @BeforeEach
    void reset() {
        SERVER.reset();
        admin = accounts.newTenantAdmin();
    }

    HttpResponse<String> register(Session session, String body) {
        return accounts.send(session, "POST", "/api/mcp/servers", body);
    }

    static String server(String name, String url, String extra) {
        return "{\"name\":\"" + name + "\",\"url\":\"" + url + "\"" + extra + "}";
    }

    @Test
    void aServerIsTestedOnSaveAndItsCredentialNeverReturned() {
        SERVER.requireHeader("Authorization", SECRET);

        HttpResponse<String> created = register(admin, server("files", SERVER.streamableUrl(),
                ",\"authHeaderValue\":\"" + SECRET + "\",\"allowedTools\":[\"echo\"],\"timeout\":\"PT5S\""));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode view = HttpTestClient.json(created);
        assertThat(view.path("authHeaderSet").asBoolean()).isTrue();
        assertThat(view.path("authHeaderName").asString()).isEqualTo("Authorization");
        assertThat(view.path("transport").asString()).isEqualTo("streamable-http");
        assertThat(view.path("timeout").asString()).isEqualTo("PT5S");
        assertThat(view.path("toolsListed").asInt()).isEqualTo(8);
        assertThat(SERVER.methods()).contains("initialize", "tools/list");
        assertThat(SERVER.received()).filteredOn(received -> received.method().equals("tools/list"))
                .allSatisfy(received -> assertThat(received.header("Authorization")).isEqualTo(SECRET));

        String id = view.path("id").asString();
        for (String path : List.of("/api/mcp/servers", "/api/mcp/servers/" + id, "/api/mcp/servers/" + id + "/tools")) {
            HttpResponse<String> response = accounts.send(admin, "GET", path, null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).as(path).doesNotContain("mcp-secret");
        }
        byte[] stored = SchemaOwner.query(jdbc, "select auth_header_sealed from mcp_servers where id = '" + id + "'",
                rows -> rows.next() ? rows.getBytes(1) : null);
        assertThat(stored).isNotEmpty();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("mcp-secret");

        JsonNode tools = HttpTestClient.json(accounts.send(admin, "GET", "/api/mcp/servers/" + id + "/tools", null));
        JsonNode echo = tools.path("tools").get(0);
        assertThat(echo.path("name").asString()).isEqualTo("files/echo");
        assertThat(echo.path("modelName").asString()).isEqualTo("files__echo");
        assertThat(echo.path("allowed").asBoolean()).isTrue();
        assertThat(echo.path("offered").asBoolean()).isTrue();
        assertThat(echo.path("inputSchema").path("properties").path("text").path("type").asString()).isEqualTo("string");
        assertThat(tools.path("tools").get(1).path("allowed").asBoolean()).isFalse();
    }

    @Test
    void anUpdateKeepsTheCredentialUnlessToldAndIsTestedAgain() {
        SERVER.requireHeader("X-Api-Key", "k-1");
        String id = HttpTestClient.json(register(admin, server("keyed", SERVER.streamableUrl(),
                ",\"authHeaderName\":\"X-Api-Key\",\"authHeaderValue\":\"k-1\""))).path("id").asString();

        HttpResponse<String> kept = accounts.send(admin, "PUT", "/api/mcp/servers/" + id,
                server("keyed", SERVER.streamableUrl(), ",\"allowedTools\":[\"echo\",\"fail\"]"));
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(HttpTestClient.json(kept).path("allowedTools").toString()).isEqualTo("[\"echo\",\"fail\"]");

        HttpResponse<String> removed = accounts.send(admin, "PUT", "/api/mcp/servers/" + id,
                server("keyed", SERVER.streamableUrl(), ",\"authHeaderValue\":\"\""));
        assertProblem(removed, 422, "mcp-server-test-failed");
        assertThat(removed.body()).contains("401");

        assertProblem(accounts.send(admin, "PUT", "/api/mcp/servers/" + id, server("renamed", SERVER.streamableUrl(), "")),
                409, "mcp-server-name-fixed");
        JsonNode unchanged = HttpTestClient.json(accounts.send(admin, "GET", "/api/mcp/servers/" + id, null));
        assertThat(unchanged.path("authHeaderSet").asBoolean()).isTrue();
        assertThat(unchanged.path("allowedTools").toString()).isEqualTo("[\"echo\",\"fail\"]");

        assertThat(accounts.send(admin, "DELETE", "/api/mcp/servers/" + id, null).statusCode()).isEqualTo(204);
        assertThat(accounts.send(admin, "GET", "/api/mcp/servers/" + id, null).statusCode()).isEqualTo(404);

        JsonNode audit = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries");
        assertThat(audit.findValuesAsString("action")).contains("mcp_server.created", "mcp_server.updated", "mcp_server.deleted");
        assertThat(audit.toString()).contains("\"server\":\"keyed\"").doesNotContain("k-1");
    }

    @Test
    void anAdminKeyWithTheAdminScopeAloneAdministersServers() {
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"ops\",\"scopes\":[\"admin\"]}"))
                .path("key").asString();

        HttpResponse<String> listed = http.get("/api/mcp/servers", "X-API-Key", key);

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    }

    @Test
    void aServerThatFailsItsTestIsNotSaved() {
        SERVER.requireHeader("Authorization", SECRET);
        assertThat(assertProblem(register(admin, server("wrong-key", SERVER.streamableUrl(), ",\"authHeaderValue\":\"Bearer nope\"")),
                422, "mcp-server-test-failed").path("detail").asString()).contains("401", "auth header");
        SERVER.reset().garbageEverywhere(true);
        assertThat(assertProblem(register(admin, server("garbage", SERVER.streamableUrl(), "")), 422, "mcp-server-test-failed")
                .path("detail").asString()).contains("did not answer as an MCP server");
        SERVER.reset();
        FakeMcpServer gone = FakeMcpServer.start();
        gone.close();
        assertThat(assertProblem(register(admin, server("gone", gone.streamableUrl(), ",\"timeout\":\"PT5S\"")), 422,
                "mcp-server-test-failed").path("detail").asString()).contains("could not be reached");

        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/mcp/servers", null)).path("servers").size()).isZero();
    }

    @Test
    void aRefusedAddressIsNamedAndNothingSaved() {
        JsonNode problem = assertProblem(register(admin, server("internal", "http://10.1.2.3/mcp", "")), 422, "destination-refused");
        assertThat(problem.path("detail").asString()).contains("private-use network 10.0.0.0/8",
                "switchboard.security.outbound.allowed-networks");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/mcp/servers", null)).path("servers").size()).isZero();
    }

    @Test
    void anSseServerCannotSendTheCredentialElsewhere() {
        FakeMcpServer elsewhere = FakeMcpServer.start();
        try {
            SERVER.messageEndpoint("http://127.0.0.1:" + elsewhere.port());

            assertProblem(register(admin, server("redirecting", SERVER.sseUrl(),
                    ",\"transport\":\"sse\",\"authHeaderValue\":\"" + SECRET + "\",\"timeout\":\"PT2S\"")), 422,
                    "mcp-server-test-failed");
            assertThat(elsewhere.received()).as("the message endpoint must be on the server's own origin").isEmpty();
        }
        finally {
            elsewhere.close();
        }
    }

    @Test
    void aServerListingWithoutEndIsReadOnlyUpToTheLimits() {
        SERVER.endlessPages(true);

        HttpResponse<String> created = register(admin, server("endless", SERVER.streamableUrl(), ",\"allowedTools\":[\"tool-0\"]"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(HttpTestClient.json(created).path("toolsListed").asInt()).isEqualTo(20);
        assertThat(SERVER.methods()).filteredOn("tools/list"::equals).hasSize(20);
    }

    @Test
    void badRegistrationsAreRefusedWithTheReason() {
        String url = SERVER.streamableUrl();
        assertThat(assertProblem(register(admin, server("Not A Slug", url, "")), 400, "validation").path("detail").asString())
                .contains("name");
        assertThat(assertProblem(register(admin, server("x", "ftp://example.com", "")), 400, "validation").path("detail").asString())
                .contains("http");
        assertThat(assertProblem(register(admin, server("x", url, ",\"transport\":\"stdio\"")), 400, "validation")
                .path("detail").asString()).contains("streamable-http or sse");
        assertThat(assertProblem(register(admin, server("x", url, ",\"timeout\":\"PT11M\"")), 400, "validation")
                .path("detail").asString()).contains("timeout");
        assertThat(assertProblem(register(admin, server("x", url, ",\"authHeaderName\":\"Host\",\"authHeaderValue\":\"v\"")), 400,
                "validation").path("detail").asString()).contains("authHeaderName");
        assertThat(assertProblem(register(admin, server("x", url, ",\"allowedTools\":[\"echo\",\"delete_everything\"]")), 422,
                "mcp-tool-not-listed").path("detail").asString()).contains("delete_everything", "It lists: echo");

        assertThat(register(admin, server("taken", url, "")).statusCode()).isEqualTo(201);
        assertProblem(register(admin, server("taken", url, "")), 409, "mcp-server-exists");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/mcp/servers", null)).path("servers").size()).isOne();
    }

    @Test
    void membersMayNotAdministerServers() {
        Session member = accounts.newUser(admin, "MEMBER");
        String id = HttpTestClient.json(register(admin, server("shared", SERVER.streamableUrl(), ""))).path("id").asString();

        assertProblem(accounts.send(member, "GET", "/api/mcp/servers", null), 403, "forbidden");
        assertProblem(accounts.send(member, "GET", "/api/mcp/servers/" + id + "/tools", null), 403, "forbidden");
        assertProblem(register(member, server("mine", SERVER.streamableUrl(), "")), 403, "forbidden");
        assertProblem(accounts.send(member, "DELETE", "/api/mcp/servers/" + id, null), 403, "forbidden");
        assertThat(accounts.send(admin, "GET", "/api/mcp/servers/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void oneTenantNeverSeesAnothersServers() {
        Session other = accounts.newTenantAdmin();
        String id = HttpTestClient.json(register(admin, server("private", SERVER.streamableUrl(), ""))).path("id").asString();

        assertThat(HttpTestClient.json(accounts.send(other, "GET", "/api/mcp/servers", null)).path("servers").size()).isZero();
        for (String method : List.of("GET", "DELETE")) {
            assertProblem(accounts.send(other, method, "/api/mcp/servers/" + id, null), 404, "not-found");
        }
        assertProblem(accounts.send(other, "GET", "/api/mcp/servers/" + id + "/tools", null), 404, "not-found");
        assertProblem(accounts.send(other, "PUT", "/api/mcp/servers/" + id, server("private", SERVER.streamableUrl(), "")), 404,
                "not-found");
        // The same name is free in another tenant.
        assertThat(register(other, server("private", SERVER.streamableUrl(), "")).statusCode()).isEqualTo(201);
        assertThat(accounts.send(admin, "GET", "/api/mcp/servers/" + id, null).statusCode()).isEqualTo(200);
    }
}
