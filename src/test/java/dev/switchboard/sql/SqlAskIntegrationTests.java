package dev.switchboard.sql;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.InMemorySpans;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.ServerSentEvents;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Questions in plain language answered from a real PostgreSQL database (the server on 127.0.0.1:5432) through the fake
 * OpenAI-compatible provider: the prompt holds the dialect, the question and only the allowed schema; the statement is
 * guarded, run read-only and answered with its rows; refusals by the guard or the database go back to the model once;
 * what is still refused is a 422 carrying the SQL and the reason, with the database unchanged; every ask is audited.
 * The same pipeline answers over SSE, as a persona's {@code query_database/<name>} tool and as the MCP server's
 * {@code query_database} tool.
 */
@IntegrationTest
@Import(InMemorySpans.class)
class SqlAskIntegrationTests extends ApiTestSupport {

    static final String SCHEMA = "ask_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final FakeLlmServer PROVIDER = FakeLlmServer.start();
    static final JsonMapper JSON = JsonMapper.builder().build();

    Session admin;
    McpSyncClient client;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "k");
        registry.add("switchboard.llm.providers.fake.max-retries", () -> "0");
        registry.add("switchboard.llm.default-chain", () -> "fake:gpt-sql");
        // Spans recorded (an exporter bean below) with the statement text, reaching the exporter in small, quick batches.
        registry.add("switchboard.tracing.capture-content", () -> "true");
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
    }

    @Autowired
    InMemorySpanExporter spans;

    @BeforeAll
    static void sampleSchema() {
        RemoteDatabases.assumePostgres();
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL,
                "create schema " + SCHEMA,
                "create table " + SCHEMA + ".customers (id integer primary key, name text not null, email text, region text)",
                "comment on table " + SCHEMA + ".customers is 'People and companies who buy from us'",
                "create table " + SCHEMA + ".orders (id integer primary key, customer_id integer not null references "
                        + SCHEMA + ".customers (id), total numeric(10,2) not null)",
                "create table " + SCHEMA + ".salaries (id integer primary key, amount integer)",
                "insert into " + SCHEMA + ".customers values (1, 'Ada', 'ada@example.com', 'north'), "
                        + "(2, 'Brian', 'brian@example.com', 'south'), (3, 'Cleo', null, 'north')",
                "insert into " + SCHEMA + ".orders values (10, 1, 120.50), (11, 1, 30.00), (12, 2, 99.99)",
                "insert into " + SCHEMA + ".salaries values (1, 100000)");
    }

    @AfterAll
    static void dropSchema() {
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL, "drop schema if exists " + SCHEMA + " cascade");
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("I cannot help with that."));
        admin = accounts.newTenantAdmin();
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.closeGracefully();
        }
    }

    String register(String name, String extra) {
        String body = """
                {"name":"%s","description":"The shop's customers and orders","kind":"postgresql","host":"127.0.0.1",
                 "port":5432,"database":"test","username":"postgres","tlsMode":"disable",
                 "allowedTables":[{"table":"%s.customers","maskedColumns":["email"]},{"table":"%s.orders"}]%s}"""
                .formatted(name, SCHEMA, SCHEMA, extra);
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/sql/connections", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("id").asString();
    }

    static String ask(String connectionId, String question) {
        return JSON.writeValueAsString(Map.of("connectionId", connectionId, "question", question));
    }

    static Behaviour sql(String statement, String explanation) {
        return Behaviour.reply("```sql\n" + statement + "\n```\n" + explanation);
    }

    /** What the model was sent in the {@code index}th request: its messages, as one text. */
    static String prompt(int index) {
        return PROVIDER.received().get(index).body().path("messages").toString();
    }

    static long customers() {
        return RemoteDatabases.count(RemoteDatabases.POSTGRES_URL, "select count(*) from " + SCHEMA + ".customers");
    }

    @Test
    void aQuestionIsAnsweredWithTheGuardedSqlItsRowsAndTheModelsExplanation() {
        String id = register("shop", "");
        PROVIDER.then(sql("SELECT region, count(*) AS customers FROM " + SCHEMA + ".customers GROUP BY region ORDER BY region;",
                "Counts customers per region."));

        HttpResponse<String> response = accounts.send(admin, "POST", "/api/sql/ask", ask(id, "How many customers per region?"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = HttpTestClient.json(response);
        assertThat(answer.path("sql").asString()).contains("GROUP BY region").containsIgnoringCase("LIMIT 1001");
        assertThat(answer.path("explanation").asString()).isEqualTo("Counts customers per region.");
        assertThat(answer.path("columns").findValuesAsString("name")).containsExactly("region", "customers");
        assertThat(answer.path("rows").toString()).isEqualTo("[[\"north\",2],[\"south\",1]]");
        assertThat(answer.path("rowCount").asInt()).isEqualTo(2);
        assertThat(answer.path("truncated").asBoolean()).isFalse();
        assertThat(answer.path("corrections").asInt()).isZero();
        assertThat(answer.path("target").asString()).isEqualTo("fake:gpt-sql");
        assertThat(answer.path("connection").asString()).isEqualTo("shop");

        assertThat(PROVIDER.received()).hasSize(1);
        String prompt = prompt(0);
        assertThat(prompt).contains("PostgreSQL").contains("How many customers per region?").contains(SCHEMA + ".customers")
                .contains(SCHEMA + ".orders").contains("at most 1000 rows").contains("People and companies who buy from us");
        assertThat(prompt).as("a table that is not allowed is never shown").doesNotContain("salaries");
        assertThat(PROVIDER.received().get(0).body().path("temperature").asDouble()).isZero();
    }

    @Test
    void maskedColumnsAndTheRowCapHoldWhateverTheModelWrites() {
        String id = register("capped", ",\"maxRows\":2");
        PROVIDER.then(sql("select name, email from " + SCHEMA + ".customers order by id", "Names and e-mail addresses."));

        JsonNode answer = HttpTestClient.json(accounts.send(admin, "POST", "/api/sql/ask", ask(id, "Everyone's e-mail?")));

        assertThat(answer.path("rows").toString()).isEqualTo("[[\"Ada\",\"****\"],[\"Brian\",\"****\"]]");
        assertThat(answer.path("rowCount").asInt()).isEqualTo(2);
        assertThat(answer.path("truncated").asBoolean()).isTrue();
        assertThat(answer.toString()).doesNotContain("ada@example.com");
    }

    @Test
    void aStatementTheGuardRefusesGoesBackToTheModelOnceWithTheReason() {
        String id = register("corrected", "");
        PROVIDER.then(sql("DELETE FROM " + SCHEMA + ".customers", "Removes them."),
                sql("SELECT count(*) AS n FROM " + SCHEMA + ".customers", "Counts customers."));

        HttpResponse<String> response = accounts.send(admin, "POST", "/api/sql/ask", ask(id, "How many customers?"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = HttpTestClient.json(response);
        assertThat(answer.path("rows").toString()).isEqualTo("[[3]]");
        assertThat(answer.path("corrections").asInt()).isEqualTo(1);
        assertThat(PROVIDER.received()).hasSize(2);
        String correction = prompt(1);
        assertThat(correction).contains("DELETE FROM " + SCHEMA + ".customers").contains("was refused")
                .containsIgnoringCase("only");
        assertThat(customers()).isEqualTo(3);
    }

    @Test
    void aStatementStillRefusedAfterTheCorrectionIs422WithTheSqlAndReasonAndTheDatabaseIsUnchanged() {
        String id = register("hostile", "");
        PROVIDER.then(sql("DROP TABLE " + SCHEMA + ".customers", "Tidies up."),
                sql("SELECT 1; DELETE FROM " + SCHEMA + ".orders", "Still tidying."));

        HttpResponse<String> response = accounts.send(admin, "POST", "/api/sql/ask", ask(id, "Clean the tables"));

        assertProblem(response, 422, "sql-rejected");
        JsonNode problem = HttpTestClient.json(response);
        assertThat(problem.path("sql").asString()).isEqualTo("SELECT 1; DELETE FROM " + SCHEMA + ".orders");
        assertThat(problem.path("reason").asString()).isNotBlank();
        assertThat(problem.path("refusal").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).contains("refused");
        assertThat(customers()).isEqualTo(3);
        assertThat(RemoteDatabases.count(RemoteDatabases.POSTGRES_URL, "select count(*) from " + SCHEMA + ".orders"))
                .isEqualTo(3);

        JsonNode entry = audited(id, "rejected");
        assertThat(entry.path("details").path("sql").asString()).isEqualTo("SELECT 1; DELETE FROM " + SCHEMA + ".orders");
        assertThat(entry.path("details").path("reason").asString()).isEqualTo(problem.path("reason").asString());
    }

    @Test
    void aStatementTheDatabaseRefusesIsCorrectedAndOtherwiseIs422SqlFailed() {
        String id = register("division", "");
        String zero = "SELECT 1 / (count(*) - count(*)) AS x FROM " + SCHEMA + ".customers";
        PROVIDER.then(sql(zero, "Divides."), sql("SELECT count(*) AS n FROM " + SCHEMA + ".orders", "Counts orders."));

        JsonNode answer = HttpTestClient.json(accounts.send(admin, "POST", "/api/sql/ask", ask(id, "How many orders?")));

        assertThat(answer.path("rows").toString()).isEqualTo("[[3]]");
        assertThat(prompt(1)).containsIgnoringCase("division by zero");

        PROVIDER.reset().then(sql(zero, "Divides."), sql(zero, "Divides again."));
        HttpResponse<String> failed = accounts.send(admin, "POST", "/api/sql/ask", ask(id, "Divide"));
        assertProblem(failed, 422, "sql-failed");
        assertThat(HttpTestClient.json(failed).path("reason").asString()).containsIgnoringCase("division by zero");
        assertThat(HttpTestClient.json(failed).path("sql").asString()).contains("count(*) - count(*)");
    }

    @Test
    void aReplyWithoutAQueryIs422SqlNotWrittenWithWhatTheModelSaid() {
        String id = register("unanswerable", ",\"maxRows\":5");
        PROVIDER.always(Behaviour.reply("The schema holds no weather data, so no query can answer this."));

        HttpResponse<String> response = accounts.send(admin, "POST", "/api/sql/ask", ask(id, "Will it rain tomorrow?"));

        assertProblem(response, 422, "sql-not-written");
        assertThat(HttpTestClient.json(response).path("detail").asString()).contains("no weather data");
        assertThat(PROVIDER.received()).as("no correction round for a reply without a statement").hasSize(1);
        audited(id, "not_written");
    }

    @Test
    void theAnswerStreamsAsSqlThenRowsThenDone() {
        String id = register("streamed", "");
        PROVIDER.then(sql("SELECT name FROM " + SCHEMA + ".customers WHERE region = 'south'", "Customers in the south."));

        HttpResponse<String> response = http.send(http.request("/api/sql/ask").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(ask(id, "Who is in the south?"))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        ServerSentEvents events = ServerSentEvents.parse(response.body());
        assertThat(events.events()).extracting(ServerSentEvents.Event::name).containsExactly("sql", "rows", "done");
        assertThat(events.named("sql").getFirst().json().path("sql").asString()).contains("region = 'south'");
        assertThat(events.named("sql").getFirst().json().path("attempt").asInt()).isEqualTo(1);
        assertThat(events.named("rows").getFirst().json().path("rows").toString()).isEqualTo("[[\"Brian\"]]");
        assertThat(events.named("done").getFirst().json().path("explanation").asString()).isEqualTo("Customers in the south.");

        PROVIDER.reset().then(sql("SELECT 1 / 0 AS x FROM " + SCHEMA + ".customers", "Divides."),
                sql("SELECT 1 / 0 AS y FROM " + SCHEMA + ".customers", "Divides."));
        HttpResponse<String> failing = http.send(http.request("/api/sql/ask").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(ask(id, "Divide"))).build());
        ServerSentEvents failed = ServerSentEvents.parse(failing.body());
        assertThat(failed.events()).extracting(ServerSentEvents.Event::name).containsExactly("sql", "sql", "error");
        assertThat(failed.named("error").getFirst().json().path("type").asString()).endsWith("sql-failed");
    }

    @Test
    void anAskIsTracedWithItsModelCallsGuardAndExecution() {
        String id = register("traced", "");
        PROVIDER.then(sql("DELETE FROM " + SCHEMA + ".orders", "Removes."),
                sql("SELECT count(*) AS n FROM " + SCHEMA + ".orders", "Counts orders."));
        String traceId = UUID.randomUUID().toString().replace("-", "");

        HttpResponse<String> response = http.send(http.request("/api/sql/ask").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString(ask(id, "How many orders?"))).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        List<SpanData> trace = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId)).toList(),
                found -> found.stream().anyMatch(span -> span.getName().equals("sql.ask")));
        SpanData ask = named(trace, "sql.ask");
        assertThat(ask.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
        assertThat(ask.getAttributes().get(AttributeKey.stringKey("db.namespace"))).isEqualTo("traced");
        assertThat(ask.getAttributes().get(AttributeKey.longKey("switchboard.sql.corrections"))).isEqualTo(1);
        List<SpanData> guards = trace.stream().filter(span -> span.getName().equals("sql.guard")).toList();
        assertThat(guards).hasSize(2).allSatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(ask.getSpanId()));
        assertThat(guards.getFirst().getAttributes().get(AttributeKey.stringKey("switchboard.sql.refusal"))).isNotBlank();
        SpanData execute = named(trace, "sql.execute");
        assertThat(execute.getAttributes().get(AttributeKey.longKey("db.response.returned_rows"))).isEqualTo(1);
        assertThat(execute.getAttributes().get(AttributeKey.stringKey("db.query.text"))).contains("count(*)");
        assertThat(trace.stream().filter(span -> span.getName().equals("chat gpt-sql")).count()).isEqualTo(2);
    }

    static SpanData named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace.stream().map(SpanData::getName).toList()));
    }

    @Test
    void membersAskOnlyDatabasesSharedWithThemAndKeysNeedTheSqlScope() {
        Session member = accounts.newUser(admin, "MEMBER");
        String hidden = register("hidden", "");
        String shared = register("shared", ",\"sharedWith\":{\"roles\":[\"MEMBER\"]}");
        PROVIDER.always(Behaviour.reply("```sql\nSELECT count(*) AS n FROM " + SCHEMA + ".customers\n```"));

        assertProblem(accounts.send(member, "POST", "/api/sql/ask", ask(hidden, "How many?")), 404, "not-found");
        assertThat(accounts.send(member, "POST", "/api/sql/ask", ask(shared, "How many?")).statusCode()).isEqualTo(200);

        HttpResponse<String> created = accounts.send(member, "POST", "/api/keys", "{\"name\":\"chat only\",\"scopes\":[\"chat\"]}");
        String key = HttpTestClient.json(created).path("key").asString();
        HttpResponse<String> refused = http.send(http.request("/api/sql/ask").header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ask(shared, "How many?")))
                .build());
        assertThat(refused.statusCode()).isEqualTo(403);

        assertProblem(accounts.send(member, "POST", "/api/sql/ask", "{\"connectionId\":\"" + shared + "\",\"question\":\"\"}"),
                400, "validation");
        assertProblem(accounts.send(member, "POST", "/api/sql/ask", "{\"question\":\"How many?\"}"), 400, "validation");
    }

    @Test
    void aPersonaAllowedTheDatabasesToolAsksItAndAnswersFromTheRows() {
        register("crm", "");
        HttpResponse<String> persona = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"analyst\",\"name\":\"Analyst\","
                + "\"instructions\":\"Answer from the database.\",\"allowedTools\":[\"query_database/crm\"]}");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
        PROVIDER.then(Behaviour.callTool("call_1", "query_database__crm", "{\"question\":\"How many customers are in the north?\"}"),
                sql("SELECT count(*) AS north FROM " + SCHEMA + ".customers WHERE region = 'north'", "Counts them."),
                Behaviour.reply("There are 2 customers in the north."));

        HttpResponse<String> chat = accounts.send(admin, "POST", "/api/chat",
                "{\"agent\":\"analyst\",\"message\":\"How big is the north?\"}");

        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        assertThat(HttpTestClient.json(chat).path("message").path("content").asString()).contains("2 customers");
        assertThat(PROVIDER.received()).hasSize(3);
        assertThat(PROVIDER.received().get(0).body().path("tools").toString()).contains("query_database__crm");
        assertThat(prompt(1)).as("the tool's question reaches the SQL prompt").contains("How many customers are in the north?");
        String toolResult = prompt(2);
        assertThat(toolResult).contains("region = 'north'").contains("<rows>").contains("north").contains("2");
        audited(null, "answered");

        HttpResponse<String> unknownTool = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"bad\",\"name\":\"Bad\","
                + "\"instructions\":\"x\",\"allowedTools\":[\"query_database/nowhere\"]}");
        assertThat(unknownTool.statusCode()).isEqualTo(400);
    }

    @Test
    void mcpClientsListAndQueryTheDatabasesTheyMayUse() {
        Session member = accounts.newUser(admin, "MEMBER");
        register("private", "");
        register("open", ",\"sharedWith\":{\"roles\":[\"MEMBER\"]}");
        PROVIDER.always(Behaviour.reply("```sql\nSELECT name FROM " + SCHEMA + ".customers ORDER BY id LIMIT 1\n```\nThe first."));
        HttpResponse<String> created = accounts.send(member, "POST", "/api/keys", "{\"name\":\"mcp\",\"scopes\":[\"mcp\",\"sql\"]}");
        client = connect(HttpTestClient.json(created).path("key").asString());

        McpSchema.CallToolResult listed = call("list_databases", Map.of());
        assertThat(listed.isError()).isFalse();
        JsonNode databases = JSON.valueToTree(listed.structuredContent()).path("databases");
        assertThat(databases.findValuesAsString("name")).containsExactly("open");

        McpSchema.CallToolResult answered = call("query_database", Map.of("database", "open", "question", "Who came first?"));
        assertThat(answered.isError()).as(text(answered)).isFalse();
        JsonNode answer = JSON.valueToTree(answered.structuredContent());
        assertThat(answer.path("rows").toString()).isEqualTo("[[\"Ada\"]]");
        assertThat(text(answered)).contains("SELECT name FROM").contains("Ada");

        McpSchema.CallToolResult hidden = call("query_database", Map.of("database", "private", "question", "Anything?"));
        assertThat(hidden.isError()).isTrue();
        assertThat(text(hidden)).contains("no database 'private'");
    }

    McpSyncClient connect(String bearer) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/api/mcp").httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                        "Bearer " + bearer)).build();
        McpSyncClient connected = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        connected.initialize();
        return connected;
    }

    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    /** The audit entry of an ask on the connection (any when null) with this outcome, once it is written. */
    JsonNode audited(String connectionId, String outcome) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> entry(connectionId, outcome) != null);
        return entry(connectionId, outcome);
    }

    private JsonNode entry(String connectionId, String outcome) {
        List<JsonNode> entries = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries").valueStream()
                .filter(entry -> entry.path("action").asString().equals("sql.asked"))
                .filter(entry -> connectionId == null || entry.path("subjectId").asString().equals(connectionId))
                .filter(entry -> entry.path("details").path("outcome").asString().equals(outcome)).toList();
        return entries.isEmpty() ? null : entries.getFirst();
    }
}
