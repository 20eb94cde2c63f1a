package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.fakellm.FakeEmbeddingServer.Answer;
import dev.switchboard.fakellm.FakeEmbeddingServer.Received;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.InterruptedIngestion;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Changing the embedding model: the application is restarted on the same data directory and database with
 * another model, re-indexes every chunk in the background (progress on {@code GET /api/knowledge/index}, search
 * working meanwhile), ends ready with one copy of each chunk embedded by the new model, and removes the old
 * vectors, also from the chunk rows every replica's index follows. An index whose model was never recorded is re-indexed
 * the same way; an index that was not kept is filled from the chunk rows and their vectors, embedding nothing.
 */
class EmbeddingModelChangeIntegrationTests {

    static final FakeEmbeddingServer EMBEDDINGS = FakeEmbeddingServer.start();
    static final String EMAIL = "models@example.test";
    static final String PASSWORD = "model-change-password-42";

    @AfterAll
    static void stop() {
        EMBEDDINGS.close();
    }

    static ConfigurableApplicationContext start(Path dataDir, String model) {
        return new SpringApplicationBuilder(Switchboard.class).run("--switchboard.data-dir=" + dataDir, "--server.port=0",
                "--spring.datasource.url=", "--switchboard.bootstrap.admin-email=" + EMAIL,
                "--switchboard.bootstrap.admin-password=" + PASSWORD, "--switchboard.knowledge.embedding.provider=openai",
                "--switchboard.knowledge.embedding.base-url=" + EMBEDDINGS.baseUrl() + "/v1",
                "--switchboard.knowledge.embedding.model=" + model, "--switchboard.knowledge.embedding.batch-size=16",
                // The fake embedding server listens on loopback, which outbound connections refuse unless opened.
                "--switchboard.security.outbound.allowed-networks=127.0.0.1/32");
    }

    @Test
    void changingTheModelReindexesInTheBackground() throws Exception {
        assumeThat(TestDatabaseInitializer.external()).as("the embedded shape: one data directory across restarts").isFalse();
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        String kb;
        int chunks;
        String handbook;
        String manual;
        UUID tenant;
        try (ConfigurableApplicationContext first = start(dataDir, "embed-a")) {
            Client client = new Client(first);
            tenant = client.tenant();
            kb = HttpTestClient.json(client.send("POST", "/api/knowledge-bases", "{\"name\":\"Docs\"}")).path("id").asString();
            handbook = client.upload(kb, "handbook.md", KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
            manual = client.upload(kb, "manual.md", InterruptedIngestion.manual("Operations manual", 60));
            client.awaitIndexed(handbook);
            client.awaitIndexed(manual);
            assertThat(client.index().path("model").asString()).isEqualTo("openai:embed-a");
            assertThat(client.index().path("status").asString()).isEqualTo("ready");
            chunks = Integer.parseInt(SchemaOwner.value(first, "select count(*) from knowledge_chunks"));
            assertThat(chunks).isGreaterThan(32);
        }

        EMBEDDINGS.reset();
        CountDownLatch release = new CountDownLatch(1);
        EMBEDDINGS.then(Answer.held(release));
        try (ConfigurableApplicationContext second = start(dataDir, "embed-b")) {
            Client client = new Client(second);
            JsonNode moving = client.index();
            assertThat(moving.path("status").asString()).isEqualTo("reindexing");
            assertThat(moving.path("model").asString()).isEqualTo("openai:embed-b");
            assertThat(moving.path("replacing").asString()).isEqualTo("openai:embed-a");
            assertThat(moving.path("chunksTotal").asInt()).isEqualTo(chunks);
            assertThat(moving.path("chunksDone").asInt()).isLessThan(chunks);
            JsonNode during = client.search(kb, "How many days of paid holiday?");
            assertThat(during.path("results").findValuesAsString("text")).as("found while re-indexing")
                    .anySatisfy(text -> assertThat(text).contains("27 days of paid holiday"));

            release.countDown();
            JsonNode ready = client.awaitReady();
            assertThat(ready.path("model").asString()).isEqualTo("openai:embed-b");
            assertThat(ready.path("dimension").asInt()).isEqualTo(FakeEmbeddingServer.DEFAULT_DIMENSION);
            assertThat(ready.path("chunksDone").asInt()).isEqualTo(chunks);
            assertThat(ready.has("replacing")).isFalse();
            assertThat(EMBEDDINGS.received()).extracting(Received::model).containsOnly("embed-b");
            assertThat(EMBEDDINGS.received().stream().mapToInt(r -> r.texts().size()).sum()).as("every chunk embedded again, "
                    + "plus the search's query").isEqualTo(chunks + 1);

            assertOneCopyByModel(second, tenant, kb, List.of(handbook, manual), "openai:embed-b", "openai:embed-a");
            assertThat(client.search(kb, "How many days of paid holiday?").path("results").findValuesAsString("text"))
                    .anySatisfy(text -> assertThat(text).contains("27 days of paid holiday"));
            // Forget the recorded model, as in an index written before models were recorded.
            SchemaOwner.value(second, "update knowledge_index_state set model = null, dimension = null "
                    + "returning 1");
        }

        EMBEDDINGS.reset();
        try (ConfigurableApplicationContext third = start(dataDir, "embed-b")) {
            Client client = new Client(third);
            JsonNode ready = client.awaitReady();
            assertThat(ready.path("model").asString()).isEqualTo("openai:embed-b");
            assertThat(ready.path("chunksDone").asInt()).isEqualTo(chunks);
            assertThat(EMBEDDINGS.received().stream().mapToInt(r -> r.texts().size()).sum()).as("re-embedded: the model was "
                    + "not recorded").isEqualTo(chunks);
            assertOneCopyByModel(third, tenant, kb, List.of(handbook, manual), "openai:embed-b", "openai:embed-a");
        }
    }

    @Test
    void anIndexThatWasNotKeptIsFilledFromTheChunkRowsWithoutEmbedding() throws Exception {
        assumeThat(TestDatabaseInitializer.external()).as("the embedded shape: one data directory across restarts").isFalse();
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        String kb;
        String handbook;
        UUID tenant;
        EMBEDDINGS.reset();
        try (ConfigurableApplicationContext first = start(dataDir, "embed-a")) {
            Client client = new Client(first);
            tenant = client.tenant();
            kb = HttpTestClient.json(client.send("POST", "/api/knowledge-bases", "{\"name\":\"Docs\"}")).path("id").asString();
            handbook = client.upload(kb, "handbook.md", KnowledgeIntegrationTests.HANDBOOK.getBytes(StandardCharsets.UTF_8));
            client.awaitIndexed(handbook);
        }
        // The Lucene directory is lost (a volume that was not kept, a new replica): an empty index while the database holds
        // the chunks and their vectors.
        try (var files = java.nio.file.Files.walk(dataDir.resolve("index/lucene"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        EMBEDDINGS.reset();
        try (ConfigurableApplicationContext second = start(dataDir, "embed-a")) {
            Client client = new Client(second);
            JsonNode ready = client.index();
            assertThat(ready.path("status").asString()).as("no re-index: the vectors are in the database").isEqualTo("ready");
            assertThat(ready.path("model").asString()).isEqualTo("openai:embed-a");
            int chunks = Integer.parseInt(SchemaOwner.value(second, "select count(*) from knowledge_chunks"));
            ChunkIndex index = second.getBean(ChunkIndex.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> index.countDocumentChunks(tenant, UUID.fromString(handbook)) == chunks);
            assertThat(EMBEDDINGS.received()).as("nothing embedded again").isEmpty();
            assertOneCopyByModel(second, tenant, kb, List.of(handbook), "openai:embed-a", "openai:other");
            assertThat(client.search(kb, "How many days of paid holiday?").path("results").findValuesAsString("text"))
                    .anySatisfy(text -> assertThat(text).contains("27 days of paid holiday"));
        }
    }

    private static void assertOneCopyByModel(ConfigurableApplicationContext context, UUID tenant, String kb, List<String> documents,
            String model, String oldModel) {
        ChunkIndex index = context.getBean(ChunkIndex.class);
        for (String document : documents) {
            String rows = SchemaOwner.value(context, "select count(*) || '/' || max(d.chunks_total) || '/' "
                    + "|| count(c.embedding) filter (where c.embedding_model = d.embedding_model) || '/' || max(d.embedding_model) "
                    + "from knowledge_chunks c join knowledge_documents d on d.id = c.document_id where d.id = '" + document + "'");
            String[] parts = rows.split("/", 4);
            assertThat(parts[0]).as("chunk rows").isEqualTo(parts[1]);
            assertThat(parts[2]).as("chunk rows with the document's model's vector (what replicas follow)").isEqualTo(parts[1]);
            assertThat(parts[3]).as("the document's model").isEqualTo(model);
            assertThat(index.countDocumentChunks(tenant, UUID.fromString(document))).as("chunks in the index, once each")
                    .isEqualTo(Integer.parseInt(parts[1]));
        }
        float[] query = FakeEmbeddingServer.embed("embed-a", "holiday", FakeEmbeddingServer.DEFAULT_DIMENSION);
        assertThat(index.dense(tenant, Set.of(UUID.fromString(kb)), oldModel, query, 10)).as("old vectors removed").isEmpty();
    }

    /** The bootstrap admin talking to one running application. */
    static final class Client {

        final HttpTestClient http;
        final String bearer;

        Client(ConfigurableApplicationContext context) throws InterruptedException {
            http = new HttpTestClient(((WebServerApplicationContext) context).getWebServer().getPort());
            bearer = "Bearer " + login();
        }

        /** The bootstrap admin's token, once the admin exists (it is created when the application is ready). */
        private String login() {
            var response = await("the bootstrap admin can sign in").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.postJson("/api/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}"),
                            answer -> answer.statusCode() == 200);
            return HttpTestClient.json(response).path("accessToken").asString();
        }

        UUID tenant() {
            return UUID.fromString(HttpTestClient.json(http.get("/api/auth/me", "Authorization", bearer)).path("tenant").path("id")
                    .asString());
        }

        java.net.http.HttpResponse<String> send(String method, String path, String json) {
            HttpRequest.Builder request = http.request(path).header("Authorization", bearer);
            if (json != null) {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            }
            else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(request.build());
        }

        String upload(String kb, String name, byte[] content) {
            return HttpTestClient.json(Uploads.document(http, bearer, kb, name, content)).path("id").asString();
        }

        JsonNode index() {
            return HttpTestClient.json(send("GET", "/api/knowledge/index", null));
        }

        JsonNode search(String kb, String query) {
            return HttpTestClient.json(send("POST", "/api/knowledge/search", "{\"query\":\"" + query + "\",\"knowledgeBaseIds\":[\""
                    + kb + "\"],\"topK\":3}"));
        }

        void awaitIndexed(String document) {
            await("indexed in time").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> HttpTestClient.json(send("GET", "/api/documents/" + document, null)).path("status").asString(), status -> {
                        assertThat(status).isNotEqualTo("failed");
                        return status.equals("indexed");
                    });
        }

        JsonNode awaitReady() {
            return await("re-indexed in time").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(this::index, state -> state.path("status").asString().equals("ready"));
        }
    }
}
