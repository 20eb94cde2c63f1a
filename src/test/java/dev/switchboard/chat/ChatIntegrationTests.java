package dev.switchboard.chat;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.RecordingSleeper;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.ServerSentEvents;
import tools.jackson.databind.JsonNode;

/** Chat over HTTP against fake providers: continuity, streaming, failover, history, isolation, atomicity, quotas. */
@IntegrationTest
class ChatIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PRIMARY = FakeLlmServer.start();
    static final FakeLlmServer BACKUP = FakeLlmServer.start();

    /** The write back-offs are recorded, not waited through: a turn that retries its write four times takes no 3 s. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Sleeps {

        @Bean
        @Primary
        RecordingSleeper recordingSleeper() {
            return new RecordingSleeper();
        }
    }

    @Autowired
    RecordingSleeper sleeps;

    @Autowired
    JdbcTemplate jdbc;

    Session admin;
    Session member;
    String personaId;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.primary.kind", () -> "openai");
        registry.add("switchboard.llm.providers.primary.base-url", () -> PRIMARY.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.primary.api-key", () -> "k1");
        registry.add("switchboard.llm.providers.primary.max-retries", () -> "0");
        registry.add("switchboard.llm.providers.backup.kind", () -> "anthropic");
        registry.add("switchboard.llm.providers.backup.base-url", () -> BACKUP.baseUrl());
        registry.add("switchboard.llm.providers.backup.api-key", () -> "k2");
        registry.add("switchboard.llm.providers.backup.max-retries", () -> "0");
        registry.add("switchboard.llm.default-chain", () -> "primary:gpt-chat,backup:claude-chat");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
        registry.add("switchboard.metering.tiers.tiny.requests-per-minute", () -> "1000");
        registry.add("switchboard.metering.tiers.tiny.tokens-per-day", () -> "50");
        registry.add("switchboard.chat.sse-heartbeat", () -> "PT0.25S");
    }

    @AfterAll
    static void stop() {
        PRIMARY.close();
        BACKUP.close();
    }

    @BeforeEach
    void setUp() {
        sleeps.clear();
        PRIMARY.reset().always(Behaviour.reply("Primary answers."));
        BACKUP.reset().always(Behaviour.reply("Backup answers."));
        admin = accounts.newTenantAdmin();
        member = accounts.newUser(admin, "MEMBER");
        personaId = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"helper\",\"name\":\"Helper\","
                + "\"instructions\":\"You are the helper persona.\",\"temperature\":0.4}")).path("id").asString();
    }

    HttpResponse<String> chat(Session session, String json) {
        return accounts.send(session, "POST", "/api/chat", json);
    }

    HttpResponse<String> stream(Session session, String json) {
        return http.send(http.request("/api/chat").header("Authorization", session.bearer())
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static String turn(String message, String sessionId) {
        return "{\"agent\":\"helper\",\"message\":\"" + message + "\"" + (sessionId == null ? "" : ",\"sessionId\":\"" + sessionId + "\"")
                + "}";
    }

    String lastPrompt() {
        return PRIMARY.received().getLast().body().toString();
    }

    @Test
    void aSessionContinuesWithTheEarlierTurns() {
        JsonNode first = HttpTestClient.json(chat(member, turn("My name is Ada.", null)));
        String sessionId = first.path("sessionId").asString();
        assertThat(first.path("message").path("content").asString()).isEqualTo("Primary answers.");
        assertThat(first.path("agent").path("slug").asString()).isEqualTo("helper");
        assertThat(first.path("agent").path("version").asInt()).isEqualTo(1);
        assertThat(first.path("target").asString()).isEqualTo("primary:gpt-chat");
        assertThat(first.path("failover").asBoolean()).isFalse();
        assertThat(first.path("usage").path("outputTokens").asLong()).isEqualTo(2);
        assertThat(lastPrompt()).contains("You are the helper persona.", "My name is Ada.").contains("\"temperature\":0.4");

        PRIMARY.always(Behaviour.reply("Your name is Ada."));
        JsonNode second = HttpTestClient.json(chat(member, turn("What is my name?", sessionId)));
        assertThat(second.path("sessionId").asString()).isEqualTo(sessionId);
        JsonNode sent = PRIMARY.received().getLast().body().path("messages");
        assertThat(sent.findValuesAsString("content")).containsExactly("You are the helper persona.", "My name is Ada.",
                "Primary answers.", "What is my name?");
        assertThat(sent.findValuesAsString("role")).containsExactly("system", "user", "assistant", "user");

        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null));
        assertThat(messages.path("messages").findValuesAsString("content")).containsExactly("My name is Ada.", "Primary answers.",
                "What is my name?", "Your name is Ada.");
        assertThat(messages.path("messages").get(1).path("personaVersion").asInt()).isEqualTo(1);
        assertThat(messages.path("messages").get(1).path("target").asString()).isEqualTo("primary:gpt-chat");

        JsonNode sessions = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions", null));
        assertThat(sessions.path("sessions").get(0).path("id").asString()).isEqualTo(sessionId);
        assertThat(sessions.path("sessions").get(0).path("title").asString()).isEqualTo("My name is Ada.");
    }

    @Test
    void aChangedPersonaAnswersTheVeryNextTurn() {
        String sessionId = HttpTestClient.json(chat(member, turn("Hello", null))).path("sessionId").asString();
        accounts.send(admin, "PUT", "/api/personas/" + personaId, "{\"slug\":\"helper\",\"name\":\"Helper\","
                + "\"instructions\":\"You are the revised helper.\",\"membersAllowed\":true}");
        JsonNode second = HttpTestClient.json(chat(member, turn("Again", sessionId)));
        assertThat(second.path("agent").path("version").asInt()).isEqualTo(2);
        assertThat(lastPrompt()).contains("You are the revised helper.").doesNotContain("You are the helper persona.");

        accounts.send(admin, "PUT", "/api/personas/" + personaId, "{\"slug\":\"helper\",\"name\":\"Helper\","
                + "\"instructions\":\"Admins only now.\",\"membersAllowed\":false}");
        assertProblem(chat(member, turn("Still there?", sessionId)), 404, "agent-not-found");
        accounts.send(admin, "DELETE", "/api/personas/" + personaId, null);
        assertProblem(chat(admin, turn("Hello?", null)), 404, "agent-not-found");
    }

    @Test
    void answersStreamAsServerSentEvents() {
        PRIMARY.always(Behaviour.reply("Streaming works fine today."));
        HttpResponse<String> response = stream(member, turn("Stream please", null));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        ServerSentEvents events = ServerSentEvents.parse(response.body());
        assertThat(events.named("delta").stream().map(e -> e.json().path("text").asString()).collect(Collectors.joining()))
                .isEqualTo("Streaming works fine today.");
        assertThat(events.named("delta")).hasSizeGreaterThan(1);
        JsonNode done = events.named("done").getFirst().json();
        assertThat(done.path("message").path("content").asString()).isEqualTo("Streaming works fine today.");
        assertThat(done.path("target").asString()).isEqualTo("primary:gpt-chat");
        assertThat(done.path("usage").path("outputTokens").asLong()).isPositive();
        assertThat(events.events().getLast().name()).isEqualTo("done");
        assertThat(http.get("/metrics", "Authorization", "Bearer test-metrics-token-0123456789").body())
                .contains("switchboard_chat_turns_total{application=\"switchboard\",status=\"complete\",streamed=\"true\"}");
    }

    @Test
    void aStreamThatBreaksAfterItsFirstTokenEndsWithAnErrorAndKeepsThePartialAnswer() {
        PRIMARY.always(new Behaviour.CutAfterFirstToken("Partial answer here."));
        ServerSentEvents events = ServerSentEvents.parse(stream(member, turn("Break please", null)).body());
        assertThat(events.named("delta").getFirst().json().path("text").asString()).isEqualTo("Partial ");
        JsonNode error = events.named("error").getFirst().json();
        assertThat(error.path("type").asString()).isEqualTo("urn:switchboard:problem:stream-interrupted");
        String sessionId = error.path("sessionId").asString();
        JsonNode stored = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null));
        assertThat(stored.path("messages").get(1).path("content").asString()).isEqualTo("Partial ");
        assertThat(stored.path("messages").get(1).path("status").asString()).isEqualTo("incomplete");
        assertThat(BACKUP.received()).isEmpty();
    }

    @Test
    void failoverMidConversationIsVisibleAndTheBackupSeesTheHistory() {
        String sessionId = HttpTestClient.json(chat(member, turn("First question", null))).path("sessionId").asString();
        PRIMARY.always(Behaviour.serverError());
        JsonNode second = HttpTestClient.json(chat(member, turn("Second question", sessionId)));
        assertThat(second.path("target").asString()).isEqualTo("backup:claude-chat");
        assertThat(second.path("failover").asBoolean()).isTrue();
        assertThat(second.path("attempts").findValuesAsString("outcome")).containsExactly("server_error", "answered");
        assertThat(BACKUP.received().getLast().body().toString()).contains("First question", "Primary answers.", "Second question");
    }

    @Test
    void aFailedTurnKeepsTheUserMessageMarkedFailedAndNothingHalfWritten() {
        String sessionId = HttpTestClient.json(chat(member, turn("Hello", null))).path("sessionId").asString();
        PRIMARY.always(Behaviour.serverError());
        BACKUP.always(Behaviour.serverError());
        HttpResponse<String> failed = chat(member, turn("Are you there?", sessionId));
        assertProblem(failed, 502, "llm-unavailable");
        assertThat(failed.body()).doesNotContain("shard-7");

        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null))
                .path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(2).path("content").asString()).isEqualTo("Are you there?");
        assertThat(messages.get(2).path("status").asString()).isEqualTo("failed");
        assertThat(messages.get(2).path("error").asString()).contains("server_error");

        PRIMARY.always(Behaviour.reply("Back again."));
        chat(member, turn("Now?", sessionId));
        JsonNode sent = PRIMARY.received().getLast().body().path("messages");
        assertThat(sent.findValuesAsString("content")).as("a failed message is history, not context")
                .containsExactly("You are the helper persona.", "Hello", "Primary answers.", "Now?");
    }

    @Test
    void aSlowFirstTokenKeepsTheStreamAliveWithHeartbeats() {
        PRIMARY.always(Behaviour.slowFirstToken("Worth the wait.", Duration.ofMillis(1_200)));
        HttpResponse<String> response = stream(member, turn("Take your time", null));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("comments before the first token").startsWith(": keep-alive\n\n");
        ServerSentEvents events = ServerSentEvents.parse(response.body());
        assertThat(events.named("delta").stream().map(e -> e.json().path("text").asString()).collect(Collectors.joining()))
                .isEqualTo("Worth the wait.");
        assertThat(events.events().getLast().name()).isEqualTo("done");
    }

    @Test
    void aTurnWhoseWriteFailsForAMomentIsStoredOnceAfterRetrying() {
        String sessionId = HttpTestClient.json(chat(member, turn("Hello", null))).path("sessionId").asString();
        withInsertFaults(2, () -> {
            HttpResponse<String> response = chat(member, turn("FLAKY write please", sessionId));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        });
        assertThat(sleeps.waits()).as("a back-off before each retry").hasSize(2);
        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null))
                .path("messages");
        assertThat(messages.findValuesAsString("content")).containsExactly("Hello", "Primary answers.", "FLAKY write please",
                "Primary answers.");
    }

    @Test
    void whenTheHistoryCannotBeWrittenTheAnswerStillReachesTheClient() {
        String sessionId = HttpTestClient.json(chat(member, turn("Hello", null))).path("sessionId").asString();
        PRIMARY.always(Behaviour.reply("An answer worth keeping."));
        withInsertFaults(1_000, () -> {
            HttpResponse<String> response = chat(member, turn("FLAKY forever", sessionId));
            assertProblem(response, 503, "history-unavailable");
            JsonNode problem = HttpTestClient.json(response);
            assertThat(problem.path("answer").asString()).isEqualTo("An answer worth keeping.");
            assertThat(problem.path("sessionId").asString()).isEqualTo(sessionId);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();

            ServerSentEvents streamed = ServerSentEvents.parse(stream(member, turn("FLAKY streamed", sessionId)).body());
            assertThat(streamed.named("delta")).isNotEmpty();
            JsonNode error = streamed.named("error").getFirst().json();
            assertThat(error.path("type").asString()).isEqualTo("urn:switchboard:problem:history-unavailable");
            assertThat(error.path("answer").asString()).isEqualTo("An answer worth keeping.");
        });
        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null))
                .path("messages");
        assertThat(sleeps.waits()).as("four retries of each turn's write").hasSize(8);
        assertThat(messages.findValuesAsString("content")).as("nothing half-written").containsExactly("Hello", "Primary answers.");
    }

    /**
     * Makes the next {@code count} inserts of a message containing "FLAKY" fail as a serialisation failure would
     * (a sequence counts them: it is not rolled back with the failed transaction), for the duration of {@code work}.
     */
    void withInsertFaults(int count, Runnable work) {
        asOwner("create sequence test_insert_faults; "
                + "create function test_insert_fault() returns trigger language plpgsql as $$ begin "
                + "if strpos(new.content, 'FLAKY') > 0 and nextval('test_insert_faults') <= " + count + " then "
                + "raise exception 'injected write fault' using errcode = '40001'; end if; return new; end $$; "
                + "alter function test_insert_fault() security definer; "
                + "create trigger test_insert_fault before insert on chat_messages for each row execute function test_insert_fault()");
        try {
            work.run();
        }
        finally {
            asOwner("drop trigger test_insert_fault on chat_messages; drop function test_insert_fault(); "
                    + "drop sequence test_insert_faults");
        }
    }

    void asOwner(String sql) {
        SchemaOwner.update(jdbc, sql);
    }

    @Test
    void concurrentTurnsOfOneSessionAllLand() throws Exception {
        String sessionId = HttpTestClient.json(chat(member, turn("Start", null))).path("sessionId").asString();
        PRIMARY.always(Behaviour.slow("Done.", Duration.ofMillis(50)));
        List<Future<HttpResponse<String>>> turns = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                String message = "Parallel " + i;
                turns.add(pool.submit(() -> chat(member, turn(message, sessionId))));
            }
            for (var response : turns) {
                assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(200);
            }
        }
        JsonNode messages = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null))
                .path("messages");
        assertThat(messages).hasSize(18);
        assertThat(messages.findValuesAsString("seq")).doesNotHaveDuplicates();
    }

    @Test
    void messagesAreAppendOnly() {
        String sessionId = HttpTestClient.json(chat(member, turn("Keep me", null))).path("sessionId").asString();
        assertThatThrownBy(() -> SchemaOwner.update(jdbc, "update chat_messages set content = 'rewritten' where session_id = '"
                + sessionId + "'")).isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
    }

    @Test
    void historyPagesAndExports() {
        String sessionId = null;
        for (int i = 0; i < 30; i++) {
            JsonNode answer = HttpTestClient.json(chat(member, turn("Question " + i, sessionId)));
            sessionId = answer.path("sessionId").asString();
        }
        JsonNode first = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages?limit=50", null));
        assertThat(first.path("messages")).hasSize(50);
        long next = first.path("next").asLong();
        JsonNode second = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId
                + "/messages?limit=50&after=" + next, null));
        assertThat(second.path("messages")).hasSize(10);
        assertThat(second.has("next")).isFalse();
        assertThat(second.path("messages").get(9).path("seq").asLong()).isEqualTo(60);
        JsonNode past = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages?after=60", null));
        assertThat(past.path("messages").isEmpty()).as("past the last message: an empty page of one's own session").isTrue();
        assertThat(past.has("next")).isFalse();

        HttpResponse<String> markdown = accounts.send(member, "GET", "/api/sessions/" + sessionId + "/export?format=markdown", null);
        assertThat(markdown.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/markdown");
        assertThat(markdown.body()).startsWith("# Question 0").contains("## User", "Question 29", "## Assistant");
        JsonNode json = HttpTestClient.json(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/export", null));
        assertThat(json.path("messages")).hasSize(60);

        assertThat(HttpTestClient.json(accounts.send(member, "PATCH", "/api/sessions/" + sessionId, "{\"title\":\"Quiz\"}"))
                .path("title").asString()).isEqualTo("Quiz");
        assertThat(accounts.send(member, "DELETE", "/api/sessions/" + sessionId, null).statusCode()).isEqualTo(204);
        assertProblem(accounts.send(member, "GET", "/api/sessions/" + sessionId, null), 404, "not-found");
        assertProblem(accounts.send(member, "GET", "/api/sessions/" + sessionId + "/messages", null), 404, "not-found");
        assertProblem(chat(member, turn("Still there?", sessionId)), 404, "not-found");
    }

    @Test
    void sessionsBelongToTheirUser() {
        String sessionId = HttpTestClient.json(chat(member, turn("Private", null))).path("sessionId").asString();
        Session colleague = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(colleague, "GET", "/api/sessions/" + sessionId + "/messages", null), 404, "not-found");
        assertProblem(chat(colleague, turn("Hijack", sessionId)), 404, "not-found");
        assertProblem(accounts.send(admin, "GET", "/api/sessions/" + sessionId, null), 404, "not-found");
        Session stranger = accounts.newTenantAdmin();
        assertProblem(accounts.send(stranger, "GET", "/api/sessions/" + sessionId, null), 404, "not-found");
        assertProblem(accounts.send(stranger, "GET", "/api/sessions/" + sessionId + "/messages", null), 404, "not-found");
        assertProblem(accounts.send(colleague, "GET", "/api/sessions/" + UUID.randomUUID() + "/messages", null), 404, "not-found");
        assertProblem(chat(stranger, turn("Hello", null)), 404, "agent-not-found");
        assertThat(HttpTestClient.json(accounts.send(colleague, "GET", "/api/sessions", null)).path("sessions").isEmpty()).isTrue();

        String key = accounts.apiKey(member, "{\"name\":\"bot\"}");
        HttpResponse<String> byKey = http.send(http.request("/api/chat").header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(turn("By key", sessionId))).build());
        assertThat(byKey.statusCode()).as("a key's sessions are its owner's").isEqualTo(200);
    }

    @Test
    void badTurnsAreRefusedClearly() {
        assertProblem(chat(member, "{\"agent\":\"helper\",\"message\":\"\"}"), 400, "validation");
        assertProblem(chat(member, "{\"agent\":\"helper\",\"message\":\"" + "x".repeat(32_001) + "\"}"), 400, "message-too-long");
        assertProblem(chat(member, "{\"agent\":\"nobody\",\"message\":\"hi\"}"), 404, "agent-not-found");
        assertProblem(chat(member, "{\"message\":\"hi\"}"), 400, "validation");
        assertProblem(chat(member, turn("hi", "not-a-uuid")), 400, "malformed-body");
        assertProblem(chat(member, turn("hi", "00000000-0000-0000-0000-000000000000")), 404, "not-found");

        accounts.send(admin, "PUT", "/api/personas/" + personaId, "{\"slug\":\"helper\",\"name\":\"Helper\",\"membersAllowed\":false}");
        assertProblem(chat(member, turn("hi", null)), 404, "agent-not-found");
        assertThat(chat(admin, turn("hi", null)).statusCode()).isEqualTo(200);
    }

    @Test
    void turnsAreMeteredAgainstTheTokenQuota() {
        chat(member, turn("Count me", null));
        JsonNode usage = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=user", null));
        assertThat(usage.path("rows").valueStream().filter(r -> r.path("group").asString().equals(member.userId().toString()))
                .findFirst().orElseThrow().path("tokensOut").asLong()).isEqualTo(2);
        int modelCalls = PRIMARY.received().size();

        accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"tier\":\"tiny\"}");
        String key = accounts.apiKey(member, "{\"name\":\"tiny\"}");
        HttpResponse<String> refused = http.send(http.request("/api/chat").header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(turn("Hello", null))).build());
        assertProblem(refused, 429, "token-quota-exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(PRIMARY.received()).as("the model was not called").hasSize(modelCalls);
    }

    @Test
    void withoutAnyProviderTheLocalResponderAnswers() {
        String local = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"offline\",\"name\":\"Offline\","
                + "\"chain\":\"local:extractive\"}")).path("id").asString();
        JsonNode answer = HttpTestClient.json(chat(member, "{\"agent\":\"" + local + "\",\"message\":\"Anyone?\"}"));
        assertThat(answer.path("target").asString()).isEqualTo("local:extractive");
        assertThat(answer.path("message").path("content").asString()).contains("no language model");
        assertThat(List.of(PRIMARY.received().size(), BACKUP.received().size())).containsOnly(0);
    }
}
