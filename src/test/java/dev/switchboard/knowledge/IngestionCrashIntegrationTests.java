package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.InterruptedIngestion;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Ingestion survives a crash: the process is killed (SIGKILL) in the middle of embedding a document; after a
 * restart the job is revived and resumes, and the document ends with every chunk exactly once, in the
 * database and in the index.
 */
class IngestionCrashIntegrationTests {

    static final String EMAIL = "crash@example.test";
    static final String PASSWORD = "crash-test-password-42";

    @Test
    void aKilledIngestionResumesWithoutDuplicates() throws Exception {
        assumeThat(TestDatabaseInitializer.external()).as("the embedded shape: one data directory across the restart").isFalse();
        Path dataDir = TestDatabaseInitializer.initialisedDataDirectory();
        Files.createDirectories(dataDir);
        Path output = dataDir.resolveSibling(dataDir.getFileName() + "-child.log");
        int port = freePort();
        Process child = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"), Switchboard.class.getName(),
                "--switchboard.data-dir=" + dataDir, "--server.port=" + port, "--switchboard.bootstrap.admin-email=" + EMAIL,
                "--switchboard.bootstrap.admin-password=" + PASSWORD, "--switchboard.knowledge.ingestion-workers=1")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String documentId;
        UUID tenantId;
        try {
            awaitLine(output, "Started Switchboard", Duration.ofSeconds(120), child);
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

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(Switchboard.class)
                .run("--switchboard.data-dir=" + dataDir, "--server.port=0", "--spring.datasource.url=")) {
            HttpTestClient http = new HttpTestClient(((WebServerApplicationContext) restarted).getWebServer().getPort());
            String bearer = "Bearer " + login(http);
            JsonNode document = await("resumed and finished").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
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
