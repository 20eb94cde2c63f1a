package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.knowledge.internal.parsing.HostileDocuments;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.MutableClock;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion under attack: a tenant flooding the queue with documents that stall the embedding provider holds one
 * worker (max-concurrent-per-tenant 1), not all of them, so another tenant's document is indexed meanwhile; a
 * stalled attempt fails with the time-budget reason once the (test) clock passes its budget, although its worker
 * is still blocked and heart-beating; hostile files fail with their reason while other tenants are indexed.
 */
@IntegrationTest
class IngestionFairnessIntegrationTests extends ApiTestSupport {

    static final FakeEmbeddingServer EMBEDDINGS = FakeEmbeddingServer.start();
    static final String STALL = "stallword";

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

    CountDownLatch release;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.knowledge.embedding.provider", () -> "openai");
        registry.add("switchboard.knowledge.embedding.base-url", () -> EMBEDDINGS.baseUrl() + "/v1");
        registry.add("switchboard.knowledge.embedding.model", () -> "fake-embed");
        registry.add("switchboard.knowledge.embedding.api-key", () -> "sk-fairness-key");
        registry.add("switchboard.knowledge.embedding.max-retries", () -> "0");
        registry.add("switchboard.knowledge.embedding.timeout", () -> "PT5M");
        registry.add("switchboard.knowledge.ingestion-workers", () -> "2");
        registry.add("switchboard.knowledge.max-concurrent-per-tenant", () -> "1");
        registry.add("switchboard.knowledge.job-timeout", () -> "PT1M");
        registry.add("switchboard.knowledge.max-upload", () -> "3MB");
        registry.add("switchboard.knowledge.max-extracted-characters", () -> "2000000");
    }

    @AfterAll
    static void stop() {
        EMBEDDINGS.close();
    }

    @BeforeEach
    void stallProvider() {
        release = new CountDownLatch(1);
        EMBEDDINGS.reset().holdTextsContaining(STALL, release);
    }

    @AfterEach
    void unstall() {
        release.countDown();
    }

    @Test
    void aFloodingTenantHoldsOneWorkerAndAStalledAttemptFailsOnTime() {
        Session flooder = accounts.newTenantAdmin();
        Session other = accounts.newTenantAdmin();
        String floodBase = knowledgeBase(flooder);
        List<String> stalled = List.of(upload(flooder, floodBase, "stall-1.md", stalling(1)), upload(flooder, floodBase, "stall-2.md",
                stalling(2)), upload(flooder, floodBase, "stall-3.md", stalling(3)));
        await("a stalled document is embedding").atMost(Duration.ofSeconds(60))
                .until(() -> EMBEDDINGS.received().stream().anyMatch(r -> r.texts().stream().anyMatch(t -> t.contains(STALL))));

        String otherDocument = upload(other, knowledgeBase(other), "handbook.md",
                KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
        await("the other tenant's document is indexed meanwhile").atMost(Duration.ofSeconds(60))
                .until(() -> status(other, otherDocument).equals("indexed"));
        assertThat(stalled.stream().map(id -> status(flooder, id)).filter(s -> !s.equals("indexed") && !s.equals("failed")))
                .as("the flooder's documents wait for its one worker (queued, or claimed by its job's batch)").hasSize(3);

        clock.advance(Duration.ofSeconds(61));
        await("the stalled attempt fails once past its budget").atMost(Duration.ofSeconds(30))
                .until(() -> stalled.stream().anyMatch(id -> status(flooder, id).equals("failed")));
        JsonNode failed = stalled.stream().map(id -> document(flooder, id)).filter(d -> d.path("status").asString().equals("failed"))
                .findFirst().orElseThrow();
        assertThat(failed.path("error").asString()).contains("time budget of 1m").contains("switchboard.knowledge.job-timeout");

        release.countDown();
        await("the flooder's next documents are indexed once the worker is back").atMost(Duration.ofSeconds(90))
                .until(() -> stalled.stream().filter(id -> status(flooder, id).equals("indexed")).count() == 2);
    }

    @Test
    void hostileFilesFailWithTheirReasonWhileOtherTenantsAreIndexed() {
        Session attacker = accounts.newTenantAdmin();
        Session other = accounts.newTenantAdmin();
        String attackBase = knowledgeBase(attacker);
        String json = upload(attacker, attackBase, "bomb.json", HostileDocuments.jsonBomb());
        String csv = upload(attacker, attackBase, "bomb.csv", HostileDocuments.csvHeaderBomb());
        String spaces = upload(attacker, attackBase, "spaces.md", HostileDocuments.markdownSpaces(1_500_000));
        String otherDocument = upload(other, knowledgeBase(other), "handbook.md",
                KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));

        await("every document is done").atMost(Duration.ofSeconds(90)).until(() -> List.of(json, csv, spaces).stream()
                .allMatch(id -> List.of("indexed", "failed").contains(status(attacker, id))) && status(other, otherDocument).equals(
                        "indexed"));
        for (String bomb : List.of(json, csv)) {
            JsonNode document = document(attacker, bomb);
            assertThat(document.path("status").asString()).isEqualTo("failed");
            assertThat(document.path("error").asString()).contains("expands to more than 2000000 characters")
                    .contains("switchboard.knowledge.max-extracted-characters");
        }
        assertThat(status(attacker, spaces)).as("a million and a half spaces after a pipe are read in one pass").isEqualTo("indexed");
    }

    static byte[] stalling(int n) {
        return ("# Stalled " + n + "\n\nThis " + STALL + " paragraph " + n + " keeps the provider busy.\n").getBytes(
                StandardCharsets.UTF_8);
    }

    String knowledgeBase(Session session) {
        return HttpTestClient.json(accounts.send(session, "POST", "/api/knowledge-bases", "{\"name\":\"Flood\"}")).path("id").asString();
    }

    String upload(Session session, String knowledgeBase, String name, byte[] content) {
        var response = Uploads.document(http, session.bearer(), knowledgeBase, name, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return HttpTestClient.json(response).path("id").asString();
    }

    JsonNode document(Session session, String id) {
        return HttpTestClient.json(accounts.send(session, "GET", "/api/documents/" + id, null));
    }

    String status(Session session, String id) {
        return document(session, id).path("status").asString();
    }
}
