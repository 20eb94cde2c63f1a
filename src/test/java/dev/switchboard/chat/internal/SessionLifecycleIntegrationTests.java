package dev.switchboard.chat.internal;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.MutableClock;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/** Sessions over time: a short TTL, the purge job, and a window too small for the whole history. */
@IntegrationTest
class SessionLifecycleIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @Autowired
    MutableClock clock;

    @Autowired
    SessionPurge purge;

    @Autowired
    JdbcTemplate jdbc;

    Session user;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.chat.session-ttl", () -> "PT10M");
        registry.add("switchboard.chat.retention", () -> "PT0S");
        registry.add("switchboard.chat.purge-interval", () -> "PT1H");
        registry.add("switchboard.llm.providers.small.kind", () -> "openai");
        registry.add("switchboard.llm.providers.small.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.small.api-key", () -> "k");
        registry.add("switchboard.llm.providers.small.models[0].name", () -> "tiny-window");
        registry.add("switchboard.llm.providers.small.models[0].context-length", () -> "500");
        registry.add("switchboard.llm.default-chain", () -> "small:tiny-window");
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("Noted."));
        Session admin = accounts.newTenantAdmin();
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"scribe\",\"name\":\"Scribe\",\"maxTokens\":50}");
        user = accounts.newUser(admin, "MEMBER");
    }

    JsonNode chat(String message, String sessionId) {
        return HttpTestClient.json(accounts.send(user, "POST", "/api/chat", "{\"agent\":\"scribe\",\"message\":\"" + message + "\""
                + (sessionId == null ? "" : ",\"sessionId\":\"" + sessionId + "\"") + "}"));
    }

    long messagesInDatabase(String sessionId) {
        return Long.parseLong(SchemaOwner.strings(jdbc, "select count(*) from chat_messages where session_id = '" + sessionId + "'")
                .getFirst());
    }

    @Test
    void anExpiredSessionAnswers410AndIsPurgedAfterRetention() {
        String sessionId = chat("Remember this", null).path("sessionId").asString();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertProblem(accounts.send(user, "POST", "/api/chat", "{\"agent\":\"scribe\",\"message\":\"Still there?\",\"sessionId\":\""
                + sessionId + "\"}"), 410, "session-expired");
        JsonNode session = HttpTestClient.json(accounts.send(user, "GET", "/api/sessions/" + sessionId, null));
        assertThat(session.path("expired").asBoolean()).isTrue();
        assertThat(HttpTestClient.json(accounts.send(user, "GET", "/api/sessions/" + sessionId + "/messages", null))
                .path("messages")).as("history stays readable until purged").hasSize(2);

        String live = chat("A fresh one", null).path("sessionId").asString();
        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);
        assertProblem(accounts.send(user, "GET", "/api/sessions/" + sessionId, null), 404, "not-found");
        assertThat(messagesInDatabase(sessionId)).isZero();
        assertThat(messagesInDatabase(live)).as("live sessions are untouched").isEqualTo(2);
    }

    @Test
    void olderTurnsLeaveTheWindowForASummaryButNeverTheHistory() {
        String sessionId = null;
        String filler = "word ".repeat(60).strip();
        for (int i = 1; i <= 5; i++) {
            sessionId = chat("Turn " + i + " " + filler, sessionId).path("sessionId").asString();
        }
        assertThat(PROVIDER.received()).anySatisfy(request -> assertThat(request.body().toString())
                .contains("You maintain the running summary of a conversation").contains("Turn 1 "));
        String lastPrompt = PROVIDER.received().getLast().body().toString();
        assertThat(lastPrompt).contains("Summary of the earlier conversation:\\nNoted.").contains("Turn 5 ").doesNotContain("Turn 1 ");

        JsonNode stored = HttpTestClient.json(accounts.send(user, "GET", "/api/sessions/" + sessionId + "/messages", null));
        assertThat(stored.path("messages")).as("the stored history is lossless").hasSize(10);
        assertThat(stored.path("messages").get(0).path("content").asString()).startsWith("Turn 1 ").endsWith(filler);
    }
}
