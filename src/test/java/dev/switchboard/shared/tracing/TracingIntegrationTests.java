package dev.switchboard.shared.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
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
import dev.switchboard.support.Uploads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import tools.jackson.databind.JsonNode;

/**
 * Traces of real turns through the fake providers, read back from the OpenTelemetry SDK's in-memory exporter: the
 * caller's {@code traceparent} continued, a span per stage, per LLM attempt (the failed one too, with its outcome) and
 * per tool call, GenAI attributes and token counts, retrieval figures, no prompt text by default, the ingestion job
 * linked to its upload, and the trace id in problem bodies.
 */
@IntegrationTest
@Import(InMemorySpans.class)
class TracingIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer DOWN = FakeLlmServer.start();
    static final FakeLlmServer UP = FakeLlmServer.start();

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        for (String id : List.of("down", "up")) {
            FakeLlmServer fake = id.equals("down") ? DOWN : UP;
            registry.add("switchboard.llm.providers." + id + ".kind", () -> "openai");
            registry.add("switchboard.llm.providers." + id + ".base-url", () -> fake.baseUrl() + "/v1");
            registry.add("switchboard.llm.providers." + id + ".api-key", () -> "test-key");
            registry.add("switchboard.llm.providers." + id + ".max-retries", () -> "0");
        }
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
        // Spans reach the exporter in batches: small ones, soon, so that the test does not wait seconds for them.
        registry.add("management.opentelemetry.tracing.export.schedule-delay", () -> "50ms");
    }

    @Autowired
    InMemorySpanExporter spans;

    Session admin;

    @AfterAll
    static void stop() {
        DOWN.close();
        UP.close();
    }

    @BeforeEach
    void setUp() {
        DOWN.reset().always(Behaviour.serverError());
        UP.reset().always(Behaviour.reply("You get 27 days of paid holiday [1]."));
        admin = accounts.newTenantAdmin();
    }

    @Test
    void aTurnWithRetrievalAndFailoverIsOneTraceUnderTheCallersParent() {
        String knowledgeBase = handbook();
        String personaId = persona("planner", "down:gpt-down,up:gpt-up", "", knowledgeBase);
        String traceId = hex(16);
        String parentId = hex(8);

        HttpResponse<String> response = chat("planner", "How many days of paid holiday do I get?", traceId, parentId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        SpanData server = awaitServerSpan(traceId);
        assertThat(server.getParentSpanId()).as("the caller's span is the parent").isEqualTo(parentId);
        List<SpanData> trace = trace(traceId);
        assertThat(trace).extracting(SpanData::getName).contains("authenticate jwt", "rate_limit tier", "chat.session",
                "chat.retrieve", "knowledge.search", "chat.history", "chat.assemble", "chat.generate", "chat.citations",
                "chat.persist", "chat gpt-down", "chat gpt-up");

        SpanData retrieve = named(trace, "chat.retrieve");
        assertThat(retrieve.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(string(retrieve, "switchboard.persona.id")).isEqualTo(personaId);
        assertThat(string(retrieve, "switchboard.tenant.id")).isEqualTo(admin.tenantId().toString());
        SpanData search = named(trace, "knowledge.search");
        assertThat(search.getParentSpanId()).isEqualTo(retrieve.getSpanId());
        assertThat(number(search, "switchboard.knowledge.hits")).isPositive();
        assertThat(number(search, "switchboard.knowledge.base_count")).isEqualTo(1);
        assertThat(search.getAttributes().get(AttributeKey.booleanKey("switchboard.knowledge.relevant"))).isTrue();

        SpanData generate = named(trace, "chat.generate");
        SpanData failed = named(trace, "chat gpt-down");
        SpanData answered = named(trace, "chat gpt-up");
        assertThat(failed.getParentSpanId()).isEqualTo(generate.getSpanId());
        assertThat(answered.getParentSpanId()).isEqualTo(generate.getSpanId());
        assertThat(failed.getStartEpochNanos()).isLessThanOrEqualTo(answered.getStartEpochNanos());
        assertThat(string(failed, "switchboard.llm.outcome")).isEqualTo("server_error");
        assertThat(string(failed, "error.type")).isEqualTo("server_error");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(string(failed, "switchboard.llm.target")).isEqualTo("down:gpt-down");

        assertThat(string(answered, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(string(answered, "gen_ai.provider.name")).isEqualTo("openai");
        assertThat(string(answered, "gen_ai.request.model")).isEqualTo("gpt-up");
        assertThat(string(answered, "gen_ai.response.model")).isEqualTo("gpt-up");
        assertThat(string(answered, "switchboard.llm.outcome")).isEqualTo("answered");
        assertThat(string(answered, "switchboard.tenant.id")).isEqualTo(admin.tenantId().toString());
        assertThat(answered.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
        assertThat(number(answered, "gen_ai.usage.input_tokens")).isPositive();
        assertThat(number(answered, "gen_ai.usage.output_tokens")).isPositive();
        assertThat(answered.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

        assertThat(trace).as("no prompt or answer text without switchboard.tracing.capture-content")
                .allSatisfy(span -> assertThat(span.getAttributes().asMap().keySet())
                        .extracting(AttributeKey::getKey).doesNotContain("gen_ai.input.messages", "gen_ai.output.messages"));
    }

    @Test
    void toolCallsAreExecuteToolSpansUnderTheirStep() {
        persona("librarian", "up:gpt-tools", "\"search_knowledge\"", handbook());
        UP.then(Behaviour.callTool("call_search", "search_knowledge", "{\"query\":\"paid holiday days\",\"topK\":3}"),
                Behaviour.reply("You get 27 days of paid holiday [1]."));
        String traceId = hex(16);

        HttpResponse<String> response = chat("librarian", "How many days of paid holiday do I get?", traceId, hex(8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        awaitServerSpan(traceId);
        List<SpanData> trace = trace(traceId);
        SpanData tool = named(trace, "execute_tool search_knowledge");
        assertThat(string(tool, "gen_ai.operation.name")).isEqualTo("execute_tool");
        assertThat(string(tool, "gen_ai.tool.name")).isEqualTo("search_knowledge");
        assertThat(string(tool, "gen_ai.tool.call.id")).isEqualTo("call_search");
        assertThat(tool.getAttributes().get(AttributeKey.booleanKey("switchboard.tool.error"))).isFalse();
        assertThat(tool.getParentSpanId()).isEqualTo(named(trace, "chat.tools").getSpanId());
        assertThat(trace).as("the tool's search runs inside its span, on the tool's own thread")
                .anySatisfy(span -> {
                    assertThat(span.getName()).isEqualTo("knowledge.search");
                    assertThat(span.getParentSpanId()).isEqualTo(tool.getSpanId());
                });
        assertThat(trace.stream().filter(span -> span.getName().equals("chat gpt-tools"))).as("one model call per step").hasSize(2);
    }

    @Test
    void anIngestionJobIsItsOwnTraceLinkedToTheUpload() {
        String traceId = hex(16);
        String knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Linked\"}"))
                .path("id").asString();
        HttpResponse<String> uploaded = upload(knowledgeBase, traceId);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);

        SpanData job = await().atMost(Duration.ofSeconds(90)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("knowledge.ingest") && span.getLinks().stream()
                        .anyMatch(link -> link.getSpanContext().getTraceId().equals(traceId)))
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(job.getTraceId()).as("a trace of its own").isNotEqualTo(traceId);
        assertThat(job.getParentSpanContext().isValid()).isFalse();
        assertThat(string(job, "switchboard.tenant.id")).isEqualTo(admin.tenantId().toString());
    }

    @Test
    void aProblemCarriesTheTraceIdBesideTheRequestId() {
        String traceId = hex(16);
        HttpResponse<String> response = chat("nobody-by-this-name", "Hello?", traceId, hex(8));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode problem = HttpTestClient.json(response);
        assertThat(problem.path("traceId").asString()).isEqualTo(traceId);
        assertThat(problem.path("requestId").asString()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros (an invalid id)
        return HexFormat.of().formatHex(random);
    }

    HttpResponse<String> chat(String agent, String message, String traceId, String parentId) {
        return http.send(http.request("/api/chat").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"" + agent + "\",\"message\":\"" + message + "\"}"))
                .build());
    }

    HttpResponse<String> upload(String knowledgeBase, String traceId) {
        String boundary = "----switchboard" + hex(8);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"policy.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nTravel policy. Economy class for trips under six hours.\r\n--" + boundary + "--\r\n";
        return http.send(http.request("/api/documents?knowledgeBaseId=" + knowledgeBase).header("Authorization", admin.bearer())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    String persona(String slug, String chain, String tools, String knowledgeBaseId) {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug
                + "\",\"instructions\":\"You are " + slug + ".\",\"chain\":\"" + chain + "\",\"allowedTools\":[" + tools + "]"
                + ",\"knowledgeBaseIds\":[\"" + knowledgeBaseId + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("id").asString();
    }

    String handbook() {
        String knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Handbook\"}"))
                .path("id").asString();
        HttpResponse<String> uploaded = Uploads.document(http, admin.bearer(), knowledgeBase, "holiday.txt", ("Paid holiday. "
                + "Every employee gets 27 days of paid holiday per calendar year, plus public holidays.")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        String documentId = HttpTestClient.json(uploaded).path("id").asString();
        await().atMost(Duration.ofSeconds(90)).until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + documentId,
                null)).path("status").asString(), status -> status.equals("indexed") || status.equals("failed"));
        return knowledgeBase;
    }

    SpanData awaitServerSpan(String traceId) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> trace(traceId).stream()
                .filter(span -> span.getKind() == SpanKind.SERVER).findFirst(), Optional::isPresent).orElseThrow();
    }

    List<SpanData> trace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    static SpanData named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace.stream().map(SpanData::getName).toList()));
    }

    static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    static long number(SpanData span, String key) {
        Long value = span.getAttributes().get(AttributeKey.longKey(key));
        return value == null ? -1 : value;
    }
}
