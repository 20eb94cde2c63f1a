package dev.switchboard.chat;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.identity.Caller;
import dev.switchboard.metering.TokenQuota;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.ServerSentEvents;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Personas that call tools, over HTTP against the fakes of all four provider kinds: the tool loop (search, unknown
 * tools, bad arguments, the step limit), ask_agent and its depth limit, SSE events, history, and the token quota
 * reserved and settled for every model call.
 */
@IntegrationTest
class ToolLoopIntegrationTests extends ApiTestSupport {

    /** The provider kinds, each with its own fake, provider id and model. */
    enum Kind {
        OPENAI("openai", "oa:gpt-tools"), ANTHROPIC("anthropic", "an:claude-tools"), GEMINI("gemini", "ge:gemini-tools"),
        OLLAMA("ollama", "ol:llama-tools");

        final String id;
        final String chain;
        final FakeLlmServer fake = FakeLlmServer.start();

        Kind(String id, String chain) {
            this.id = id;
            this.chain = chain;
        }

        String baseUrl() {
            return this == OPENAI ? fake.baseUrl() + "/v1" : fake.baseUrl();
        }

        String provider() {
            return chain.substring(0, chain.indexOf(':'));
        }
    }

    static final int MAX_TOOL_STEPS = 3;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        for (Kind kind : Kind.values()) {
            String prefix = "switchboard.llm.providers." + kind.provider() + ".";
            registry.add(prefix + "kind", () -> kind.id);
            registry.add(prefix + "base-url", kind::baseUrl);
            registry.add(prefix + "api-key", () -> "test-key");
            registry.add(prefix + "max-retries", () -> "0");
        }
        // A model with a small window, so that older turns are summarised.
        registry.add("switchboard.llm.providers.oa.models[0].name", () -> "gpt-small");
        registry.add("switchboard.llm.providers.oa.models[0].context-length", () -> "600");
        registry.add("switchboard.llm.default-chain", () -> "oa:gpt-tools");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
        registry.add("switchboard.chat.max-tool-steps", () -> String.valueOf(MAX_TOOL_STEPS));
        registry.add("switchboard.chat.tool-timeout", () -> "PT4S");
    }

    /** Every reservation and settlement of the real token quota, counted on its way through. */
    static final class CountingQuota implements TokenQuota {

        final TokenQuota real;
        final AtomicInteger reserved = new AtomicInteger();
        final AtomicInteger settled = new AtomicInteger();

        CountingQuota(TokenQuota real) {
            this.real = real;
        }

        @Override
        public Result reserve(Caller caller, long tokens) {
            reserved.incrementAndGet();
            return real.reserve(caller, tokens);
        }

        @Override
        public void settle(Reservation reservation, long usedTokens) {
            settled.incrementAndGet();
            real.settle(reservation, usedTokens);
        }
    }

    @TestConfiguration
    static class Counting {

        @Bean
        @Primary
        CountingQuota countingQuota(@Qualifier("tierTokenQuota") TokenQuota real) {
            return new CountingQuota(real);
        }
    }

    @Autowired
    CountingQuota quota;

    Session admin;

    @AfterAll
    static void stop() {
        for (Kind kind : Kind.values()) {
            kind.fake.close();
        }
    }

    @BeforeEach
    void setUp() {
        for (Kind kind : Kind.values()) {
            kind.fake.reset().always(Behaviour.reply("Plain answer."));
        }
        admin = accounts.newTenantAdmin();
    }

    String persona(String slug, String chain, String tools, String knowledgeBaseId) {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"" + slug + "\",\"name\":\"" + slug
                + "\",\"instructions\":\"You are " + slug + ".\",\"chain\":\"" + chain + "\",\"allowedTools\":[" + tools + "]"
                + (knowledgeBaseId == null ? "" : ",\"knowledgeBaseIds\":[\"" + knowledgeBaseId + "\"]") + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("id").asString();
    }

    JsonNode chat(String agent, String message, String sessionId) {
        HttpResponse<String> response = accounts.send(admin, "POST", "/api/chat", body(agent, message, sessionId));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return HttpTestClient.json(response);
    }

    static String body(String agent, String message, String sessionId) {
        return "{\"agent\":\"" + agent + "\",\"message\":\"" + message + "\""
                + (sessionId == null ? "" : ",\"sessionId\":\"" + sessionId + "\"") + "}";
    }

    JsonNode messages(String sessionId) {
        return HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions/" + sessionId + "/messages", null)).path("messages");
    }

    String handbook() throws InterruptedException {
        String knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Handbook\"}"))
                .path("id").asString();
        HttpResponse<String> uploaded = Uploads.document(http, admin.bearer(), knowledgeBase, "holiday.txt", ("Paid holiday. "
                + "Every employee gets 27 days of paid holiday per calendar year, plus public holidays.")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        String documentId = HttpTestClient.json(uploaded).path("id").asString();
        await("the handbook is indexed").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + documentId, null)).path("status")
                        .asString(), status -> {
                            assertThat(status).isNotEqualTo("failed");
                            return status.equals("indexed");
                        });
        return knowledgeBase;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aModelSearchesTheKnowledgeBaseThenAnswersCitingWhatItFound(Kind kind) throws InterruptedException {
        persona("librarian", kind.chain, "\"search_knowledge\"", handbook());
        kind.fake.then(Behaviour.callTool("call_search", "search_knowledge", "{\"query\":\"paid holiday days\",\"topK\":3}"),
                Behaviour.reply("You get 27 days of paid holiday [1] [2]."));

        JsonNode answer = chat("librarian", "How many days of paid holiday do I get?", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("You get 27 days of paid holiday [1] [2].");
        JsonNode tool = answer.path("tools").get(0);
        assertThat(tool.path("name").asString()).isEqualTo("search_knowledge");
        assertThat(tool.path("error").asBoolean()).isFalse();
        assertThat(tool.path("content").asString()).contains("27 days of paid holiday");
        assertThat(answer.path("message").path("citations")).isNotEmpty().allSatisfy(citation -> {
            assertThat(citation.path("documentName").asString()).isEqualTo("holiday.txt");
            assertThat(citation.path("documentId").asString()).isNotBlank();
        });
        assertThat(answer.path("message").path("citations").get(answer.path("message").path("citations").size() - 1)
                .path("marker").asInt()).as("the tool's passage, numbered after the retrieved ones").isEqualTo(2);
        List<FakeLlmServer.Received> received = kind.fake.received();
        assertThat(received).hasSize(2);
        String followUp = received.get(1).body().toString();
        assertThat(followUp).contains("27 days of paid holiday", "untrusted data", "search_knowledge");
        assertThat(received.get(0).body().toString()).contains("search_knowledge", "topK");
        assertThat(messages(answer.path("sessionId").asString()).findValuesAsString("role"))
                .containsExactly("user", "tool_call", "tool_result", "assistant");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unknownToolsAndBadArgumentsGiveTheModelErrorResultsAndTheTurnGoesOn(Kind kind) {
        persona("careful", kind.chain, "\"search_knowledge\"", null);
        kind.fake.then(new Behaviour.CallTools(List.of(new Behaviour.FakeToolCall("call_x", "delete_everything", "{\"all\":true}"),
                new Behaviour.FakeToolCall("call_y", "search_knowledge", "{\"topK\":\"many\"}")), Duration.ZERO),
                Behaviour.reply("I could not do that."));

        JsonNode answer = chat("careful", "Clean up please", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("I could not do that.");
        JsonNode tools = answer.path("tools");
        assertThat(tools).hasSize(2);
        assertThat(tools.get(0).path("name").asString()).isEqualTo("delete_everything");
        assertThat(tools.get(0).path("error").asBoolean()).isTrue();
        assertThat(tools.get(0).path("content").asString()).contains("There is no tool 'delete_everything'", "search_knowledge");
        assertThat(tools.get(1).path("error").asBoolean()).isTrue();
        assertThat(tools.get(1).path("content").asString()).contains("query: required");
        String followUp = kind.fake.received().get(1).body().toString();
        assertThat(followUp).contains("There is no tool 'delete_everything'", "query: required");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aModelThatNeverStopsCallingToolsStillEndsWithAnAnswer(Kind kind) {
        persona("eager", kind.chain, "\"search_knowledge\"", null);
        Behaviour again = Behaviour.callTool("call_again", "search_knowledge", "{\"query\":\"more\"}");
        kind.fake.then(again, again, again, Behaviour.reply("Here is what I have."));

        JsonNode answer = chat("eager", "Find everything", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("Here is what I have.");
        assertThat(answer.path("tools")).hasSize(MAX_TOOL_STEPS);
        List<FakeLlmServer.Received> received = kind.fake.received();
        assertThat(received).hasSize(MAX_TOOL_STEPS + 1);
        assertThat(received.get(MAX_TOOL_STEPS - 1).body().toString()).contains("search_knowledge");
        JsonNode last = received.getLast().body();
        assertThat(last.path("tools").isMissingNode() || last.path("tools").isEmpty()).as("the last call offers no tools: %s", last)
                .isTrue();
        assertThat(last.toString()).contains("used all " + MAX_TOOL_STEPS + " tool steps");
    }

    @Test
    void aModelThatIgnoresTheLimitGetsAClearAnswerInstead() {
        persona("stubborn", Kind.OPENAI.chain, "\"search_knowledge\"", null);
        Kind.OPENAI.fake.always(Behaviour.callTool("call_again", "search_knowledge", "{\"query\":\"more\"}"));

        JsonNode answer = chat("stubborn", "Find everything", null);

        assertThat(answer.path("message").path("content").asString()).contains("more than the " + MAX_TOOL_STEPS + " tool steps");
        assertThat(Kind.OPENAI.fake.received()).hasSize(MAX_TOOL_STEPS + 1);
    }

    @Test
    void anAgentAsksAnotherAgentAsTheSameCaller() {
        persona("boss", Kind.OPENAI.chain, "\"ask_agent\"", null);
        persona("expert", Kind.ANTHROPIC.chain, "", null);
        Kind.OPENAI.fake.then(Behaviour.callTool("call_ask", "ask_agent", "{\"agent\":\"expert\",\"message\":\"What is 2+2?\"}"),
                Behaviour.reply("The expert says four."));
        Kind.ANTHROPIC.fake.always(Behaviour.reply("Four."));

        JsonNode answer = chat("boss", "Ask the expert what 2+2 is", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("The expert says four.");
        assertThat(answer.path("tools").get(0).path("error").asBoolean()).isFalse();
        assertThat(answer.path("tools").get(0).path("content").asString()).startsWith("Four.");
        assertThat(Kind.ANTHROPIC.fake.received().getLast().body().toString()).contains("You are expert.", "What is 2+2?");
        JsonNode sessions = HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions", null)).path("sessions");
        assertThat(sessions.findValuesAsString("title")).contains("What is 2+2?", "Ask the expert what 2+2 is");

        Kind.OPENAI.fake.reset().then(Behaviour.callTool("call_ask", "ask_agent", "{\"agent\":\"nobody\",\"message\":\"Hi\"}"),
                Behaviour.reply("No such agent."));
        JsonNode unknown = chat("boss", "Ask nobody", null);
        assertThat(unknown.path("tools").get(0).path("error").asBoolean()).isTrue();
        assertThat(unknown.path("tools").get(0).path("content").asString()).contains("no agent 'nobody'", "boss", "expert");
    }

    @Test
    void aToolThatTakesTooLongGivesTheModelAnErrorResult() {
        persona("impatient", Kind.OPENAI.chain, "\"ask_agent\"", null);
        persona("slowpoke", Kind.OLLAMA.chain, "", null);
        Kind.OPENAI.fake.then(Behaviour.callTool("call_slow", "ask_agent", "{\"agent\":\"slowpoke\",\"message\":\"Take your time\"}"),
                Behaviour.reply("The other agent was too slow."));
        Kind.OLLAMA.fake.always(Behaviour.slow("Finally.", Duration.ofSeconds(10)));

        JsonNode answer = chat("impatient", "Ask slowpoke", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("The other agent was too slow.");
        assertThat(answer.path("tools").get(0).path("error").asBoolean()).isTrue();
        assertThat(answer.path("tools").get(0).path("content").asString()).contains("did not answer within 4 seconds");
        assertThat(Kind.OPENAI.fake.received().getLast().body().toString()).contains("did not answer within 4 seconds");
    }

    @Test
    void agentsAskingAgentsStopAtTheDepthLimit() {
        persona("echo", Kind.OPENAI.chain, "\"ask_agent\"", null);
        Behaviour askSelf = Behaviour.callTool("call_self", "ask_agent", "{\"agent\":\"echo\",\"message\":\"Go deeper\"}");
        // Depth 0 asks depth 1, which asks depth 2, whose call is refused; then each answers in turn.
        Kind.OPENAI.fake.then(askSelf, askSelf, askSelf, Behaviour.reply("deepest"), Behaviour.reply("middle"),
                Behaviour.reply("top"));

        JsonNode answer = chat("echo", "Start", null);

        assertThat(answer.path("message").path("content").asString()).isEqualTo("top");
        List<FakeLlmServer.Received> received = Kind.OPENAI.fake.received();
        assertThat(received).hasSize(6);
        assertThat(received.get(3).body().toString()).contains("Agents may ask agents only 2 deep");
        assertThat(received.get(4).body().toString()).contains("deepest");
        assertThat(received.get(5).body().toString()).contains("middle");
    }

    @Test
    void toolEventsStreamBeforeTheAnswer() {
        persona("streamer", Kind.OPENAI.chain, "\"search_knowledge\"", null);
        Kind.OPENAI.fake.then(Behaviour.callTool("call_s", "search_knowledge", "{\"query\":\"anything\"}"),
                Behaviour.reply("Streaming after tools works."));

        HttpResponse<String> response = http.send(http.request("/api/chat").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body("streamer", "Go", null))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> names = ServerSentEvents.parse(response.body()).events().stream().map(ServerSentEvents.Event::name).toList();
        assertThat(names.getFirst()).isEqualTo("tool_call");
        assertThat(names.get(1)).isEqualTo("tool_result");
        assertThat(names.subList(2, names.size() - 1)).isNotEmpty().containsOnly("delta");
        assertThat(names.getLast()).isEqualTo("done");
        ServerSentEvents events = ServerSentEvents.parse(response.body());
        JsonNode call = events.named("tool_call").getFirst().json();
        assertThat(call.path("name").asString()).isEqualTo("search_knowledge");
        assertThat(call.path("arguments").asString()).contains("anything");
        JsonNode result = events.named("tool_result").getFirst().json();
        assertThat(result.path("id").asString()).isEqualTo(call.path("id").asString());
        assertThat(result.path("error").asBoolean()).isTrue();
        assertThat(result.path("content").asString()).contains("no knowledge base");
        assertThat(events.named("done").getFirst().json().path("tools")).hasSize(1);
    }

    @Test
    void toolCallsAreStoredAndReplayedToTheModelInTheNextTurn() {
        String personaId = persona("memory", Kind.OPENAI.chain, "\"search_knowledge\"", null);
        Kind.OPENAI.fake.then(Behaviour.callTool("call_m", "search_knowledge", "{\"query\":\"budget\"}"),
                Behaviour.reply("Nothing found."), Behaviour.reply("As I said, nothing."));
        String sessionId = chat("memory", "Find the budget", null).path("sessionId").asString();

        chat("memory", "And now?", sessionId);

        JsonNode sent = Kind.OPENAI.fake.received().getLast().body().path("messages");
        assertThat(sent.findValuesAsString("role")).containsExactly("system", "user", "assistant", "tool", "assistant", "user");
        assertThat(sent.get(2).path("tool_calls").get(0).path("id").asString()).isEqualTo("call_m");
        assertThat(sent.get(2).path("tool_calls").get(0).path("function").path("name").asString()).isEqualTo("search_knowledge");
        assertThat(sent.get(3).path("tool_call_id").asString()).isEqualTo("call_m");
        assertThat(sent.get(3).path("content").asString()).contains("no knowledge base");
        JsonNode stored = messages(sessionId);
        assertThat(stored.findValuesAsString("role")).containsExactly("user", "tool_call", "tool_result", "assistant", "user",
                "assistant");
        assertThat(stored.get(1).path("tool").path("name").asString()).isEqualTo("search_knowledge");
        assertThat(stored.get(1).path("tool").path("callId").asString()).isEqualTo("call_m");
        assertThat(stored.get(1).path("content").asString()).contains("budget");
        assertThat(stored.get(2).path("tool").path("error").asBoolean()).isTrue();
        assertThat(accounts.send(admin, "GET", "/api/sessions/" + sessionId + "/export?format=markdown", null).body())
                .contains("Tool call: search_knowledge", "Tool result: search_knowledge (error)");

        accounts.send(admin, "PUT", "/api/personas/" + personaId, "{\"slug\":\"memory\",\"name\":\"memory\",\"instructions\":"
                + "\"You are memory.\",\"chain\":\"" + Kind.OPENAI.chain + "\",\"allowedTools\":[]}");
        Kind.OPENAI.fake.then(Behaviour.reply("Without tools now."));
        chat("memory", "Once more", sessionId);
        JsonNode flat = Kind.OPENAI.fake.received().getLast().body().path("messages");
        assertThat(flat.findValuesAsString("role")).as("a persona without tools sees its old tool calls as text")
                .doesNotContain("tool").contains("assistant");
        assertThat(flat.toString()).contains("I called the tool search_knowledge", "no knowledge base");
    }

    @Test
    void everyModelCallOfATurnIsReservedAndSettled() {
        persona("metered", Kind.OPENAI.chain, "\"search_knowledge\"", null);
        Kind.OPENAI.fake.then(Behaviour.callTool("call_q", "search_knowledge", "{\"query\":\"x\"}"), Behaviour.reply("Done."));
        int reservedBefore = quota.reserved.get();
        int settledBefore = quota.settled.get();

        JsonNode answer = chat("metered", "Go", null);

        assertThat(Kind.OPENAI.fake.received()).hasSize(2);
        assertThat(quota.reserved.get() - reservedBefore).as("one reservation per model call").isEqualTo(2);
        assertThat(quota.settled.get() - settledBefore).as("each settled").isEqualTo(2);
        assertThat(answer.path("usage").path("inputTokens").asLong())
                .as("the turn's usage adds up its model calls").isGreaterThan(
                        Kind.OPENAI.fake.received().getFirst().body().toString().split("\\s+").length);
    }

    @Test
    void theSummaryOfOlderTurnsIsMeteredToo() {
        persona("summarised", "oa:gpt-small", "", null);
        String words = "word ".repeat(250);
        String sessionId = chat("summarised", "First: " + words, null).path("sessionId").asString();
        chat("summarised", "Second: " + words, sessionId);
        int reservedBefore = quota.reserved.get();
        int settledBefore = quota.settled.get();

        chat("summarised", "Third", sessionId);

        assertThat(Kind.OPENAI.fake.received().stream().map(r -> r.body().toString()))
                .anyMatch(body -> body.contains("You maintain the running summary of a conversation"));
        int calls = Kind.OPENAI.fake.received().size();
        assertThat(quota.reserved.get() - reservedBefore).as("the summary and the answer").isEqualTo(2);
        assertThat(quota.settled.get() - settledBefore).isEqualTo(2);
        assertThat(calls).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aProvidersTestPromptIsMeteredLikeATurn() {
        int reservedBefore = quota.reserved.get();
        int settledBefore = quota.settled.get();

        HttpResponse<String> tested = accounts.send(admin, "POST", "/api/providers/test", "{\"prompt\":\"Say hi\"}");

        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        assertThat(Kind.OPENAI.fake.received()).hasSize(1);
        assertThat(quota.reserved.get() - reservedBefore).isEqualTo(1);
        assertThat(quota.settled.get() - settledBefore).isEqualTo(1);
    }

    @Test
    void allowedToolsAreCheckedWhenAPersonaIsSaved() {
        HttpResponse<String> refused = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"bad\",\"name\":\"Bad\","
                + "\"instructions\":\"x\",\"allowedTools\":[\"search_knowledge\",\"rm_rf\",\"files/delete\"]}");
        assertProblem(refused, 400, "validation");
        assertThat(refused.body()).contains("rm_rf", "files/delete", "search_knowledge", "ask_agent");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/personas", null)).toString()).doesNotContain("\"bad\"");

        String id = persona("good", Kind.OPENAI.chain, "\"search_knowledge\",\"ask_agent\"", null);
        HttpResponse<String> replaced = accounts.send(admin, "PUT", "/api/personas/" + id, "{\"slug\":\"good\",\"name\":\"Good\","
                + "\"instructions\":\"x\",\"allowedTools\":[\"weather/forecast\"]}");
        assertProblem(replaced, 400, "validation");
        assertThat(replaced.body()).contains("weather/forecast");
        assertProblem(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"worse\",\"name\":\"Worse\","
                + "\"instructions\":\"x\",\"allowedTools\":[\"a/b/c\"]}"), 400, "validation");
    }
}
