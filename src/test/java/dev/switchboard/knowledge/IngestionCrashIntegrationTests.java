package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.InterruptedIngestion;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion survives a crash: the process is killed (SIGKILL) in the middle of embedding a document; after a
 * restart the job is revived and resumes, and the document ends with every chunk exactly once, in the
 * database and in the index. Both runs embed with a remote model (a real HTTP server speaking OpenAI's embeddings API,
 * in this JVM) that holds one batch until the kill, so that the process dies in the middle of its embedding whatever
 * the CPU.
 */
class IngestionCrashIntegrationTests {

    static final FakeEmbeddingServer EMBEDDINGS = FakeEmbeddingServer.start();

    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void release() {
        release.countDown();
    }

    @AfterAll
    static void stopEmbeddings() {
        EMBEDDINGS.close();
    }

    /**
     * The remote model both runs embed with (the index records it: the restart must name the same one), on this
     * machine's loopback address, which the child has to be allowed to call.
     */
    static List<String> embedding() {
        return List.of("--switchboard.security.outbound.allowed-networks=127.0.0.1/32", "--switchboard.knowledge.embedding.provider=openai",
                "--switchboard.knowledge.embedding.base-url="
                        + EMBEDDINGS.baseUrl() + "/v1", "--switchboard.knowledge.embedding.model=fake-embed",
                "--switchboard.knowledge.embedding.api-key=sk-crash-key", "--switchboard.knowledge.embedding.max-retries=0");
    }

    static String[] arguments(List<String> first, List<String> more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(more);
        all.addAll(embedding());
        return all.toArray(String[]::new);
    }

    static final String EMAIL = "crash@example.test";
    static final String PASSWORD = "crash-test-password-42";

    @Test
    void aKilledIngestionResumesWithoutDuplicates() throws Exception {
        assumeThat(TestDatabaseInitializer.external()).as("the embedded shape: one data directory across the restart").isFalse();
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        Files.createDirectories(dataDir);
        Path output = dataDir.resolveSibling(dataDir.getFileName() + "-child.log");
        int port = freePort();
        EMBEDDINGS.reset().holdTextsContaining("of procedure 40:", release);
        Process child = new ProcessBuilder(arguments(List.of(javaCommand(), "-cp", System.getProperty("java.class.path"), Switchboard.class
                .getName(), "--switchboard.data-dir=" + dataDir, "--server.port=" + port, "--switchboard.bootstrap.admin-email=" + EMAIL,
                "--switchboard.bootstrap.admin-password=" + PASSWORD), List.of("--switchboard.knowledge.ingestion-workers=1")))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String documentId;
        UUID tenantId;
        try {
            awaitLine(output, "Started Switchboard", Duration.ofSeconds(300), child);
            HttpTestClient http = new HttpTestClient(port);
            String bearer = "Bearer " + login(http);
            tenantId = UUID.fromString(HttpTestClient.json(http.get("/api/auth/me", "Authorization", bearer)).path("tenant").path("id")
                    .asString());
            String kb = HttpTestClient.json(http.send(http.request("/api/knowledge-bases").header("Authorization", bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Big\"}")).build())).path("id").asString();
            documentId = HttpTestClient.json(Uploads.document(http, bearer, kb, "manual.md", InterruptedIngestion.manual(
                    "Operations manual", 60))).path("id").asString();
            String document = documentId;
            InterruptedIngestion.awaitPartWayEmbedded(() -> HttpTestClient.json(http.get("/api/documents/" + document, "Authorization",
                    bearer)));
            child.destroyForcibly().waitFor();
        }
        finally {
            child.destroyForcibly();
        }
        release.countDown();

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(Switchboard.class)
                .run(arguments(List.of("--switchboard.data-dir=" + dataDir, "--server.port=0", "--spring.datasource.url="), List.of()))) {
            HttpTestClient http = new HttpTestClient(((WebServerApplicationContext) restarted).getWebServer().getPort());
            String bearer = "Bearer " + login(http);
            JsonNode document = await("resumed and finished").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                    .until(() -> HttpTestClient.json(http.get("/api/documents/" + documentId, "Authorization", bearer)),
                            state -> state.path("status").asString().equals("indexed"));
            int total = document.path("chunksTotal").asInt();
            assertThat(document.path("chunksDone").asInt()).isEqualTo(total);
            String[] counts = InterruptedIngestion.chunkRows(restarted, documentId).split("/");
            assertThat(Integer.parseInt(counts[0])).as("chunk rows").isEqualTo(total);
            assertThat(Integer.parseInt(counts[1])).as("distinct ordinals").isEqualTo(total);
            assertThat(Integer.parseInt(counts[2])).as("vectors").isEqualTo(total);
            assertThat(Integer.parseInt(counts[3])).as("attempts: the job ran again after the kill").isGreaterThanOrEqualTo(2);
            assertThat(restarted.getBean(ChunkIndex.class).countDocumentChunks(tenantId, UUID.fromString(documentId)))
                    .as("chunks in the index").isEqualTo(total);
        }
    }

    /**
     * Many one-paragraph documents are ingested in batches (a job claims its tenant's other queued documents): the
     * process is killed while some are indexed and others are under way in a batch; after a restart every acknowledged
     * upload ends indexed, each chunk once in the database and in the index — the claimed jobs are revived like dead
     * executions and their documents resume after their last recorded batch.
     */
    @Test
    void aKillMidBatchLosesNoAcknowledgedDocument() throws Exception {
        assumeThat(TestDatabaseInitializer.external()).as("the embedded shape: one data directory across the restart").isFalse();
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        Path output = dataDir.resolveSibling(dataDir.getFileName() + "-child.log");
        int port = freePort();
        // The batch with note 70 is held: the ones before it are indexed, it and the ones after it are not.
        EMBEDDINGS.reset().holdTextsContaining("district 70 ", release);
        Process child = new ProcessBuilder(arguments(List.of(javaCommand(), "-cp", System.getProperty("java.class.path"), Switchboard.class
                .getName(), "--switchboard.data-dir=" + dataDir, "--server.port=" + port, "--switchboard.bootstrap.admin-email=" + EMAIL,
                "--switchboard.bootstrap.admin-password=" + PASSWORD), List.of("--switchboard.knowledge.ingestion-workers=1",
                        UNMETERED_TIER, UNMETERED_REQUESTS))).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        List<String> acknowledged = new ArrayList<>();
        UUID tenantId;
        String kb;
        try {
            awaitLine(output, "Started Switchboard", Duration.ofSeconds(300), child);
            HttpTestClient http = new HttpTestClient(port);
            String bearer = "Bearer " + login(http);
            tenantId = UUID.fromString(HttpTestClient.json(http.get("/api/auth/me", "Authorization", bearer)).path("tenant").path("id")
                    .asString());
            kb = HttpTestClient.json(http.send(http.request("/api/knowledge-bases").header("Authorization", bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Notes\"}")).build())).path("id").asString();
            for (int i = 1; i <= 80; i++) {
                HttpResponse<String> response = Uploads.document(http, bearer, kb, "note-" + i + ".md", note(i));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                acknowledged.add(HttpTestClient.json(response).path("id").asString());
            }
            String base = kb;
            await("some documents are indexed, others not yet").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> indexed(http, bearer, base), done -> {
                        assertThat(done).as("killed before the last one").isLessThan(acknowledged.size());
                        return done > 0;
                    });
            child.destroyForcibly().waitFor();
        }
        finally {
            child.destroyForcibly();
        }

        release.countDown();
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(Switchboard.class)
                .run(arguments(List.of("--switchboard.data-dir=" + dataDir, "--server.port=0", "--spring.datasource.url=", UNMETERED_TIER,
                        UNMETERED_REQUESTS), List.of()))) {
            HttpTestClient http = new HttpTestClient(((WebServerApplicationContext) restarted).getWebServer().getPort());
            String bearer = "Bearer " + login(http);
            String base = kb;
            await("every acknowledged upload is indexed").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                    .until(() -> indexed(http, bearer, base) == acknowledged.size());
            String rows = SchemaOwner.value(restarted, "select count(*) || '/' || count(distinct (c.document_id, c.ordinal)) || '/' || "
                    + "(select sum(chunks_total) from knowledge_documents where knowledge_base_id = '" + kb + "') from knowledge_chunks c "
                    + "join knowledge_documents d on d.id = c.document_id where d.knowledge_base_id = '" + kb + "'");
            String[] counts = rows.split("/");
            assertThat(counts[0]).as("chunk rows: each chunk once").isEqualTo(counts[1]).isEqualTo(counts[2]);
            ChunkIndex index = restarted.getBean(ChunkIndex.class);
            for (String document : acknowledged) {
                int total = HttpTestClient.json(http.get("/api/documents/" + document, "Authorization", bearer)).path("chunksTotal")
                        .asInt();
                assertThat(index.countDocumentChunks(tenantId, UUID.fromString(document))).as("chunks of " + document + " in the index")
                        .isEqualTo(total);
            }
        }
    }

    /** Eighty uploads and a poll every 20 ms stay within the tier's request rate. */
    static final String UNMETERED_TIER = "--switchboard.metering.default-tier=enterprise";

    static final String UNMETERED_REQUESTS = "--switchboard.metering.tiers.enterprise.requests-per-minute=1000000";

    static byte[] note(int i) {
        return ("# Note " + i + "\n\nThe depot in district " + i + " receives parcels on weekdays and ships them within "
                + (i % 5 + 1) + " days; ask for the supervisor at gate " + (i % 9 + 1) + ".\n").getBytes(StandardCharsets.UTF_8);
    }

    /** How many of the knowledge base's documents are indexed (all fit in one page). */
    static long indexed(HttpTestClient http, String bearer, String kb) {
        JsonNode page = HttpTestClient.json(http.get("/api/documents?knowledgeBaseId=" + kb + "&limit=500", "Authorization", bearer));
        long done = 0;
        for (JsonNode document : page.path("documents")) {
            if (document.path("status").asString().equals("indexed")) {
                done++;
            }
        }
        return done;
    }

    /** The bootstrap admin's token, once the admin exists (it is created when the application is ready). */
    static String login(HttpTestClient http) {
        HttpResponse<String> response = await("the bootstrap admin can sign in").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> http.postJson("/api/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}"),
                        answer -> answer.statusCode() == 200);
        return HttpTestClient.json(response).path("accessToken").asString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static void awaitLine(Path file, String text, Duration timeout, Process process) {
        await("'" + text + "' in " + file).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The child application exited:\n" + Files.readString(file));
            }
            return false;
        });
    }
}
