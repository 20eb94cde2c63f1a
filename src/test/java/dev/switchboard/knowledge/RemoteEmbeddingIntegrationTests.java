package dev.switchboard.knowledge;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.fakellm.FakeEmbeddingServer.Answer;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.InterruptedIngestion;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion and search with a remote embedding model (a real HTTP server speaking OpenAI's embeddings API), and
 * what happens to a document when the provider fails, when it is deleted mid-ingestion, or when marking it failed
 * does not work.
 */
@IntegrationTest
class RemoteEmbeddingIntegrationTests extends ApiTestSupport {

    static final FakeEmbeddingServer EMBEDDINGS = FakeEmbeddingServer.start();
    static final String KEY = "sk-integration-key-42";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ChunkIndex index;

    Session admin;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.knowledge.embedding.provider", () -> "openai");
        registry.add("switchboard.knowledge.embedding.base-url", () -> EMBEDDINGS.baseUrl() + "/v1");
        registry.add("switchboard.knowledge.embedding.model", () -> "fake-embed");
        registry.add("switchboard.knowledge.embedding.api-key", () -> KEY);
        registry.add("switchboard.knowledge.embedding.batch-size", () -> "8");
        registry.add("switchboard.knowledge.embedding.max-retries", () -> "0");
        registry.add("switchboard.knowledge.max-attempts", () -> "2");
    }

    @AfterAll
    static void stop() {
        EMBEDDINGS.close();
    }

    @BeforeEach
    void setUp() {
        EMBEDDINGS.reset();
        admin = accounts.newTenantAdmin();
    }

    @Test
    void documentsAreEmbeddedByTheRemoteModelAndFound() throws Exception {
        String kb = knowledgeBase();
        String id = uploaded(kb, "handbook.md", KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
        assertThat(awaitDone(id).path("status").asString()).isEqualTo("indexed");
        assertThat(EMBEDDINGS.received()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v1/embeddings");
            assertThat(request.model()).isEqualTo("fake-embed");
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
        });

        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"How many holiday "
                + "days do I get?\",\"knowledgeBaseIds\":[\"" + kb + "\"],\"topK\":3}"));
        assertThat(search.path("results").findValuesAsString("text")).anySatisfy(text -> assertThat(text).contains(
                "27 days of paid holiday"));
        assertThat(EMBEDDINGS.received().getLast().texts()).containsExactly("How many holiday days do I get?");

        JsonNode state = HttpTestClient.json(accounts.send(admin, "GET", "/api/knowledge/index", null));
        assertThat(state.path("status").asString()).isEqualTo("ready");
        assertThat(state.path("model").asString()).isEqualTo("openai:fake-embed");
        assertThat(state.path("provider").asString()).isEqualTo("openai");
        assertThat(state.path("dimension").asInt()).isEqualTo(FakeEmbeddingServer.DEFAULT_DIMENSION);
        assertProblem(accounts.send(accounts.newUser(admin, "MEMBER"), "GET", "/api/knowledge/index", null), 403, "forbidden");
    }

    @Test
    void aDocumentFailingPartWayHasNoSearchableChunks() throws Exception {
        String kb = knowledgeBase();
        // The pipeline embeds 32 chunks per batch, 8 per request: the first batch is indexed, the second is refused.
        EMBEDDINGS.then(Answer.ok(), Answer.ok(), Answer.ok(), Answer.ok(), Answer.status(400));
        String id = uploaded(kb, "manual.md", InterruptedIngestion.manual("Operations manual", 60));
        JsonNode done = awaitDone(id);

        assertThat(done.path("status").asString()).isEqualTo("failed");
        assertThat(done.path("error").asString()).contains("openai").contains("HTTP 400").doesNotContain(KEY)
                .doesNotContain("sk-fake-secret-echo");
        assertThat(EMBEDDINGS.received()).hasSize(5);
        assertThat(index.countDocumentChunks(admin.tenantId(), UUID.fromString(id))).as("chunks in the index").isZero();
        assertThat(owner("select count(*) from knowledge_chunks where document_id = '" + id + "'")).isEqualTo("0");
        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search",
                "{\"query\":\"valve pressure procedure\",\"knowledgeBaseIds\":[\"" + kb + "\"]}"));
        assertThat(search.path("results").isEmpty()).isTrue();
    }

    @Test
    void aDocumentDeletedWhileItIsEmbeddedLeavesNothingInTheIndex() throws Exception {
        String kb = knowledgeBase();
        CountDownLatch release = new CountDownLatch(1);
        EMBEDDINGS.then(Answer.held(release));
        String id = uploaded(kb, "handbook.md", KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
        await("the worker is embedding", () -> !EMBEDDINGS.received().isEmpty());

        assertThat(accounts.send(admin, "DELETE", "/api/documents/" + id, null).statusCode()).isEqualTo(204);
        release.countDown();
        await("the ingestion job has ended", () -> owner("select count(*) from scheduled_tasks where task_instance = '" + id + "'")
                .equals("0"));

        assertThat(index.countDocumentChunks(admin.tenantId(), UUID.fromString(id))).as("chunks in the index").isZero();
        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search",
                "{\"query\":\"holiday\",\"knowledgeBaseIds\":[\"" + kb + "\"]}"));
        assertThat(search.path("results").isEmpty()).isTrue();
    }

    @Test
    void maxAttemptsCountsExactlyAndAnUnavailableProviderFailsSearchesWith503() throws Exception {
        String kb = knowledgeBase();
        EMBEDDINGS.always(Answer.status(503));
        String id = uploaded(kb, "handbook.md", KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode done = awaitDone(id);

        assertThat(done.path("status").asString()).isEqualTo("failed");
        assertThat(done.path("error").asString()).contains("2 times");
        assertThat(EMBEDDINGS.received()).as("max-attempts 2, max-retries 0: two requests").hasSize(2);
        assertThat(owner("select attempts from knowledge_documents where id = '" + id + "'")).isEqualTo("2");

        JsonNode problem = assertProblem(accounts.send(admin, "POST", "/api/knowledge/search",
                "{\"query\":\"holiday\",\"knowledgeBaseIds\":[\"" + kb + "\"]}"), 503, "embedding-unavailable");
        assertThat(problem.path("detail").asString()).contains("openai").doesNotContain(KEY);
    }

    @Test
    void aDocumentThatCouldNotBeMarkedFailedIsRetriedUntilItIs() throws Exception {
        String kb = knowledgeBase();
        SchemaOwner.update(jdbc, """
                create or replace function test_refuse_failure() returns trigger language plpgsql as $$
                begin
                    if new.status = 'failed' and new.name = 'refused.txt' then
                        raise exception 'the database refuses (test)';
                    end if;
                    return new;
                end $$;
                create trigger test_refuse_failure before update on knowledge_documents
                    for each row execute function test_refuse_failure();
                """);
        try {
            String id = uploaded(kb, "refused.txt", new byte[0]);
            // Both attempts found the file empty; marking the document failed failed each time, giving up included.
            await("two failed attempts", () -> Integer.parseInt(owner("select coalesce(max(consecutive_failures), 0) from "
                    + "scheduled_tasks where task_instance = '" + id + "'")) >= 2);
            assertThat(owner("select status from knowledge_documents where id = '" + id + "'")).isNotEqualTo("failed");
            assertThat(owner("select count(*) from scheduled_tasks where task_instance = '" + id + "'")).as("the job is kept").isEqualTo(
                    "1");

            SchemaOwner.update(jdbc, "drop trigger test_refuse_failure on knowledge_documents");
            JsonNode done = awaitDone(id);
            assertThat(done.path("status").asString()).isEqualTo("failed");
            assertThat(owner("select attempts from knowledge_documents where id = '" + id + "'")).as("no third attempt").isEqualTo("2");
            await("the job has ended", () -> owner("select count(*) from scheduled_tasks where task_instance = '" + id + "'").equals("0"));
        }
        finally {
            SchemaOwner.update(jdbc, "drop trigger if exists test_refuse_failure on knowledge_documents");
        }
    }

    String knowledgeBase() {
        return HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Docs\"}")).path("id").asString();
    }

    String uploaded(String kb, String name, byte[] content) {
        HttpResponse<String> response = Uploads.document(http, admin.bearer(), kb, name, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return HttpTestClient.json(response).path("id").asString();
    }

    JsonNode awaitDone(String documentId) {
        return Awaitility.await("document " + documentId + " is ingested").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(
                200))
                .until(() -> HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + documentId, null)),
                        document -> document.path("status").asString().equals("indexed")
                                || document.path("status").asString().equals("failed"));
    }

    String owner(String sql) {
        return SchemaOwner.strings(jdbc, sql).getFirst();
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}
