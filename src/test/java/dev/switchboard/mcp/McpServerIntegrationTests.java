package dev.switchboard.mcp;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP server as MCP clients meet it: the MCP Java SDK's client over Streamable HTTP against the running
 * application — initialize, list and call each tool, then every way in that must stay shut (no credentials, a key
 * without the mcp scope, another tenant's agents, knowledge bases and sessions, a member and an admins-only agent)
 * and every bad argument, which must come back as a tool result with isError, never as a transport error.
 */
@IntegrationTest
class McpServerIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String HANDBOOK = "# Employee handbook\n\n## Holidays\n\nEvery employee has 27 days of paid holiday a year. "
            + "Unused holiday days can be carried over until the end of March.\n\n## Expenses\n\nTravel expenses are reimbursed "
            + "within 14 days when the receipt is uploaded to the finance portal.\n";

    @Autowired
    JdbcTemplate jdbc;

    Session admin;
    Session member;
    String knowledgeBaseId;
    McpSyncClient client;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "k");
        registry.add("switchboard.llm.default-chain", () -> "fake:gpt-mcp");
        registry.add("switchboard.metering.tiers.tiny.requests-per-minute", () -> "1000");
        registry.add("switchboard.metering.tiers.tiny.tokens-per-day", () -> "50");
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("You have 27 days of paid holiday [1]."));
        admin = accounts.newTenantAdmin();
        member = accounts.newUser(admin, "MEMBER");
        knowledgeBaseId = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"HR\"}"))
                .path("id").asString();
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"description\":\"Answers HR questions.\","
                + "\"instructions\":\"You answer HR questions.\",\"membersAllowed\":true,\"knowledgeBaseIds\":[\"" + knowledgeBaseId
                + "\"]}");
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"board\",\"name\":\"Board\",\"instructions\":\"Board only.\","
                + "\"membersAllowed\":false}");
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    /** An initialized SDK client authenticating with {@code bearer} (an API key or an access token). */
    McpSyncClient connect(String bearer) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(base())
                .endpoint("/api/mcp").httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                        "Bearer " + bearer)).build();
        McpSyncClient connected = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        connected.initialize();
        return connected;
    }

    /** The server's base URL, as the test client addresses it. */
    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The HTTP status with which the SDK client's connection was refused. */
    int refusedStatus(String bearer) {
        Throwable failure = catchThrowable(() -> connect(bearer));
        while (failure != null && !(failure instanceof McpHttpClientTransportAuthorizationException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("an authorization failure").isNotNull();
        return ((McpHttpClientTransportAuthorizationException) failure).getResponseInfo().statusCode();
    }

    String key(Session owner, String... scopes) {
        String list = String.join("\",\"", scopes);
        HttpResponse<String> created = accounts.send(owner, "POST", "/api/keys", "{\"name\":\"mcp\",\"scopes\":[\"" + list + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("key").asString();
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    static JsonNode structured(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return JSON.valueToTree(result.structuredContent());
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    static void assertToolError(McpSchema.CallToolResult result, String... fragments) {
        assertThat(result.isError()).as(text(result)).isTrue();
        assertThat(text(result)).contains(fragments);
    }

    void indexHandbook() {
        HttpResponse<String> upload = Uploads.document(http, admin.bearer(), knowledgeBaseId, "handbook.md",
                HANDBOOK.getBytes(StandardCharsets.UTF_8));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        String documentId = HttpTestClient.json(upload).path("id").asString();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> HttpTestClient.json(
                accounts.send(admin, "GET", "/api/documents/" + documentId, null)).path("status").asString(), "indexed"::equals);
    }

    @Test
    void aClientInitializesListsTheToolsAndCallsEachOne() {
        indexHandbook();
        String memberKey = key(member, "mcp", "knowledge:read");
        client = connect(memberKey);
        assertThat(client.getServerInfo().name()).isEqualTo("switchboard");

        List<McpSchema.Tool> tools = client.listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("search_knowledge", "ask_agent", "list_agents",
                "list_databases", "query_database");
        McpSchema.Tool search = tools.stream().filter(tool -> tool.name().equals("search_knowledge")).findFirst().orElseThrow();
        assertThat(JSON.valueToTree(search.inputSchema()).path("properties").propertyNames())
                .contains("query", "knowledgeBaseIds", "agent", "topK");

        JsonNode agents = structured(call(client, "list_agents", Map.of()));
        assertThat(agents.path("agents").findValuesAsString("slug")).containsExactly("hr");
        assertThat(agents.path("agents").get(0).path("description").asString()).isEqualTo("Answers HR questions.");

        JsonNode byId = structured(call(client, "search_knowledge", Map.of("query", "How many holiday days do I get?",
                "knowledgeBaseIds", List.of(knowledgeBaseId), "topK", 3)));
        JsonNode best = byId.path("passages").get(0);
        assertThat(best.path("text").asString()).contains("27 days of paid holiday");
        assertThat(best.path("documentName").asString()).isEqualTo("handbook.md");
        assertThat(best.path("citation").asString()).startsWith("handbook.md, ").contains("Holidays");
        assertThat(byId.path("relevant").asBoolean()).isTrue();
        JsonNode byAgent = structured(call(client, "search_knowledge", Map.of("query", "holiday days", "agent", "hr")));
        assertThat(byAgent.path("passages").get(0).path("chunkId").asString()).isEqualTo(best.path("chunkId").asString());

        McpSchema.CallToolResult asked = call(client, "ask_agent", Map.of("agent", "hr", "message", "How many holiday days?"));
        JsonNode answer = structured(asked);
        assertThat(answer.path("answer").asString()).isEqualTo("You have 27 days of paid holiday [1].");
        assertThat(answer.path("citations").get(0).path("documentName").asString()).isEqualTo("handbook.md");
        assertThat(text(asked)).contains("Sources:", "[1] handbook.md");
        String sessionId = answer.path("sessionId").asString();
        assertThat(PROVIDER.received().getLast().body().toString()).contains("You answer HR questions.", "27 days of paid holiday");

        PROVIDER.always(Behaviour.reply("Until the end of March."));
        JsonNode followUp = structured(call(client, "ask_agent", Map.of("agent", "hr", "message", "Until when can I carry them over?",
                "sessionId", sessionId)));
        assertThat(followUp.path("sessionId").asString()).isEqualTo(sessionId);
        assertThat(PROVIDER.received().getLast().body().path("messages").findValuesAsString("content"))
                .contains("How many holiday days?", "You have 27 days of paid holiday [1].");
        // The conversation is the member's, as if it had happened in the chat API.
        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null));
        assertThat(messages.path("messages").findValuesAsString("content")).containsExactly("How many holiday days?",
                "You have 27 days of paid holiday [1].", "Until when can I carry them over?", "Until the end of March.");
    }

    @Test
    void requestsAreMeteredAgainstTheCallersKey() {
        JsonNode created = HttpTestClient.json(accounts.send(member, "POST", "/api/keys", "{\"name\":\"metered\",\"scopes\":[\"mcp\"]}"));
        String keyId = created.path("id").asString();
        client = connect(created.path("key").asString());
        structured(call(client, "ask_agent", Map.of("agent", "hr", "message", "Hello")));
        JsonNode usage = HttpTestClient.json(accounts.send(member, "GET", "/api/keys/" + keyId + "/usage", null));
        assertThat(usage.path("rows").get(0).path("requests").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(usage.path("rows").get(0).path("tokensOut").asLong()).isPositive();
        // Requests under the MCP route (the client's GET for a server stream, refused with 405, included).
        assertThat(SchemaOwner.strings(jdbc, "select distinct endpoint from usage_records where api_key_id = '" + keyId + "'"))
                .contains("POST /api/mcp", "GET /api/mcp");
        // The answer's tokens too are recorded under the MCP route, not the chat API's.
        assertThat(SchemaOwner.strings(jdbc, "select distinct endpoint from usage_records where api_key_id = '" + keyId
                + "' and tokens_out > 0")).containsExactly("POST /api/mcp");
    }

    @Test
    void aSpentTokenQuotaIsAnErrorResultAndTheModelIsNotCalled() {
        accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"tiny\"}");
        client = connect(key(member, "mcp"));
        int modelCalls = PROVIDER.received().size();
        assertToolError(call(client, "ask_agent", Map.of("agent", "hr", "message", "Hello")), "daily token quota");
        assertThat(PROVIDER.received()).as("the model was not called").hasSize(modelCalls);
    }

    @Test
    void withoutCredentialsTheServerAnswers401AndPointsAtItsMetadata() {
        HttpResponse<String> refused = http.send(http.request("/api/mcp").header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build());
        assertProblem(refused, 401, "unauthorized");
        String base = base();
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer ").contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource/api/mcp\"");
        assertThat(http.get("/api/mcp/tools").statusCode()).isEqualTo(401);
        // Elsewhere in the API the challenge stays as it was.
        assertThat(http.get("/api/sessions").headers().firstValue("WWW-Authenticate").orElseThrow())
                .doesNotContain("resource_metadata");

        HttpResponse<String> mcpMetadata = http.get("/.well-known/oauth-protected-resource/api/mcp");
        assertThat(mcpMetadata.statusCode()).isEqualTo(200);
        JsonNode document = HttpTestClient.json(mcpMetadata);
        assertThat(document.path("resource").asString()).isEqualTo(base + "/api/mcp");
        assertThat(document.path("authorization_servers").valueStream().map(JsonNode::asString).toList()).containsExactly(base);
        assertThat(document.path("bearer_methods_supported").valueStream().map(JsonNode::asString).toList())
                .containsExactly("header");
        assertThat(document.path("scopes_supported").valueStream().map(JsonNode::asString).toList()).containsExactly("mcp");
        JsonNode api = HttpTestClient.json(http.get("/.well-known/oauth-protected-resource"));
        assertThat(api.path("resource").asString()).isEqualTo(base);
        assertThat(api.path("scopes_supported").valueStream().map(JsonNode::asString).toList()).contains("mcp", "chat");

        assertThat(refusedStatus("sb_notAKeyAtAll")).isEqualTo(401);
        // Spring AI's stock endpoints do not exist: only /api/mcp, behind the API's authentication.
        for (String path : List.of("/mcp", "/sse", "/mcp/message")) {
            HttpResponse<String> stock = http.send(http.request(path).header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build());
            assertThat(stock.statusCode()).as(path).isEqualTo(404);
            assertThat(http.get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aKeyWithoutTheMcpScopeIsRefused() {
        String chatKey = key(member, "chat");
        HttpResponse<String> refused = http.send(http.request("/api/mcp").header("Authorization", "Bearer " + chatKey)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")).build());
        assertProblem(refused, 403, "forbidden");
        assertProblem(http.get("/api/mcp/tools", "Authorization", "Bearer " + chatKey), 403, "forbidden");
        assertThat(refusedStatus(chatKey)).isEqualTo(403);
    }

    @Test
    void anotherTenantsAgentsKnowledgeBasesAndSessionsAreOutOfReach() {
        client = connect(key(member, "mcp"));
        String sessionId = structured(call(client, "ask_agent", Map.of("agent", "hr", "message", "Hello"))).path("sessionId")
                .asString();
        client.closeGracefully();

        Session otherAdmin = accounts.newTenantAdmin();
        accounts.send(otherAdmin, "POST", "/api/personas", "{\"slug\":\"own\",\"name\":\"Own\",\"instructions\":\"Mine.\"}");
        client = connect(key(otherAdmin, "mcp", "knowledge:read"));
        assertThat(structured(call(client, "list_agents", Map.of())).path("agents").findValuesAsString("slug")).containsExactly("own");
        assertToolError(call(client, "ask_agent", Map.of("agent", "hr", "message", "Hello")), "no agent 'hr'");
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "agent", "hr")), "no agent 'hr'");
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "knowledgeBaseIds", List.of(knowledgeBaseId))),
                "no knowledge base " + knowledgeBaseId);
        McpSchema.CallToolResult foreignSession = call(client, "ask_agent", Map.of("agent", "own", "message", "Hi",
                "sessionId", sessionId));
        assertThat(foreignSession.isError()).as(text(foreignSession)).isTrue();
        assertThat(text(foreignSession)).contains(sessionId).doesNotContain("Hello");
    }

    @Test
    void aMemberCannotUseAnAdminsOnlyAgent() {
        client = connect(key(member, "mcp", "knowledge:read"));
        assertToolError(call(client, "ask_agent", Map.of("agent", "board", "message", "Hello")), "no agent 'board'");
        assertToolError(call(client, "search_knowledge", Map.of("query", "x", "agent", "board")), "no agent 'board'");
        client.closeGracefully();
        client = connect(admin.accessToken());
        assertThat(structured(call(client, "list_agents", Map.of())).path("agents").findValuesAsString("slug"))
                .containsExactlyInAnyOrder("hr", "board");
    }

    @Test
    void badArgumentsComeBackAsErrorResults() {
        client = connect(key(member, "mcp"));
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday")), "either knowledgeBaseIds", "neither");
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "agent", "hr",
                "knowledgeBaseIds", List.of(knowledgeBaseId))), "not both");
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "knowledgeBaseIds", List.of(knowledgeBaseId))),
                "knowledge:read");
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "agent", "hr", "topK", 0)), "topK");
        assertToolError(call(client, "search_knowledge", Map.of("agent", "hr")), "query");
        assertToolError(call(client, "ask_agent", Map.of("agent", "hr")), "message");
        assertToolError(call(client, "ask_agent", Map.of("agent", "hr", "message", "Hi", "sessionId", "yesterday's")),
                "sessionId", "not an id");
        assertToolError(call(client, "ask_agent", Map.of("agent", "nobody", "message", "Hi")), "no agent 'nobody'",
                "list_agents");
        client.closeGracefully();
        client = connect(key(member, "mcp", "knowledge:read"));
        assertToolError(call(client, "search_knowledge", Map.of("query", "holiday", "knowledgeBaseIds", List.of("kb-1"))),
                "knowledgeBaseIds");
    }

    @Test
    void httpRequestsThatAreNotMcpMessagesGetProblems() {
        String bearer = "Bearer " + key(member, "mcp");
        HttpResponse<String> get = http.get("/api/mcp", "Authorization", bearer, "Accept", "text/event-stream");
        assertProblem(get, 405, "method-not-allowed");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        String message = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        assertProblem(http.send(http.request("/api/mcp").header("Authorization", bearer).header("Content-Type", "text/plain")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(message))
                .build()), 415, "unsupported-media-type");
        assertProblem(http.send(http.request("/api/mcp").header("Authorization", bearer).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(message)).build()), 406,
                "not-acceptable");
        HttpResponse<String> listed = http.send(http.request("/api/mcp").header("Authorization", bearer)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message)).build());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(listed).path("result").path("tools").size()).isEqualTo(5);
    }

    @Test
    void theToolsAreListedAsJson() {
        JsonNode listed = HttpTestClient.json(http.get("/api/mcp/tools", "Authorization", "Bearer " + key(member, "mcp")));
        assertThat(listed.path("tools").valueStream().map(tool -> tool.path("name").asString()).toList()).containsExactlyInAnyOrder(
                "search_knowledge", "ask_agent", "list_agents", "list_databases", "query_database");
        JsonNode ask = listed.path("tools").valueStream().filter(tool -> tool.path("name").asString().equals("ask_agent"))
                .findFirst().orElseThrow();
        assertThat(ask.path("inputSchema").path("required").valueStream().map(JsonNode::asString).toList())
                .containsExactly("agent", "message");
        assertThat(ask.path("outputSchema").path("properties").propertyNames()).contains("sessionId", "answer", "citations");
    }
}
