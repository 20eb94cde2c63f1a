package dev.switchboard.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.springframework.context.Lifecycle;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.Switchboard;
import dev.switchboard.fakellm.FakeEmbeddingServer;
import dev.switchboard.knowledge.internal.index.ChunkIndex;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.InterruptedIngestion;
import dev.switchboard.support.SchemaOwner;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one database, each with its own data directory and its own Lucene index: what one ingests, the other
 * searches, cites and downloads within seconds (its index follows the chunk rows and vectors in the database, the
 * original is in the database); a deletion on one leaves the other's search; a replica closed in the middle of an
 * ingestion leaves its job to the other, which finishes it.
 * <p>
 * Replica B holds the database (the embedded PostgreSQL, or a fresh database on the external server) and A joins it, so
 * that A can go away while B carries on. B's ingestion workers are paused while A ingests, so the work is A's and what
 * B serves can only have come through the database. The take-over embeds with a remote model (a real HTTP server speaking
 * OpenAI's embeddings API) that holds one batch, so that A is caught in the middle of its embedding whatever the CPU,
 * and B's share costs no minutes of local inference.
 */
class KnowledgeAcrossReplicasIntegrationTests {

    static final String HANDBOOK = """
            # Staff handbook

            ## Holidays

            Every employee has 27 days of paid holiday a year. Unused days carry over until the end of March.

            ## Expenses

            Train tickets are refunded within ten working days when the receipt is attached to the claim.
            """;

    static final FakeEmbeddingServer EMBEDDINGS = FakeEmbeddingServer.start();

    ConfigurableApplicationContext b;
    ConfigurableApplicationContext a;
    final CountDownLatch release = new CountDownLatch(1);

    void start(String... settings) {
        List<String> common = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=test",
                "--switchboard.knowledge.index=lucene", "--switchboard.knowledge.index-follow-interval=200ms"));
        common.addAll(List.of(settings));
        List<String> first = new ArrayList<>(common);
        first.addAll(List.of(TestDatabaseInitializer.freshDatabaseArguments()));
        b = new SpringApplicationBuilder(Switchboard.class).run(first.toArray(String[]::new));
        List<String> second = new ArrayList<>(common);
        second.add("--spring.datasource.url=" + b.getBean(HikariDataSource.class).getJdbcUrl());
        second.add("--switchboard.data-dir=" + TestDatabaseInitializer.freshDataDirectory());
        a = new SpringApplicationBuilder(Switchboard.class).run(second.toArray(String[]::new));
    }

    @AfterAll
    static void stopEmbeddings() {
        EMBEDDINGS.close();
    }

    @AfterEach
    void close() {
        release.countDown();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void whatOneReplicaIngestsTheOtherSearchesCitesAndDownloadsAndADeletionLeavesBoth() throws Exception {
        start();
        HttpTestClient httpA = http(a);
        HttpTestClient httpB = http(b);
        Accounts onA = new Accounts(httpA);
        Accounts onB = new Accounts(httpB);
        Session admin = onA.newTenantAdmin();
        String kb = HttpTestClient.json(onA.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"HR\"}")).path("id").asString();

        workers(b).stop();
        byte[] content = HANDBOOK.getBytes(StandardCharsets.UTF_8);
        String id = HttpTestClient.json(Uploads.document(httpA, admin.bearer(), kb, "handbook.md", content)).path("id").asString();
        await().atMost(Duration.ofSeconds(120)).until(() -> status(onA, admin, id).equals("indexed"));
        workers(b).start();

        String query = "{\"query\":\"How many holiday days do I get?\",\"knowledgeBaseIds\":[\"" + kb + "\"],\"topK\":3}";
        JsonNode found = await().atMost(Duration.ofSeconds(10)).until(() -> HttpTestClient.json(onB.send(admin, "POST",
                "/api/knowledge/search", query)), search -> search.path("results").size() > 0);
        JsonNode best = found.path("results").get(0);
        assertThat(best.path("text").asString()).contains("27 days of paid holiday");
        assertThat(best.path("documentId").asString()).isEqualTo(id);
        assertThat(found.path("relevant").asBoolean()).as("dense and lexical: the vectors came with the chunks").isTrue();

        onB.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"chain\":\"local:extractive\",\"knowledgeBaseIds\":[\""
                + kb + "\"]}");
        JsonNode answer = HttpTestClient.json(onB.send(admin, "POST", "/api/chat", "{\"agent\":\"hr\",\"message\":\"How many days of "
                + "paid holiday does an employee have?\"}"));
        JsonNode citation = answer.path("message").path("citations").get(0);
        assertThat(citation.path("documentId").asString()).isEqualTo(id);
        JsonNode chunk = HttpTestClient.json(onB.send(admin, "GET", "/api/knowledge/chunks/" + citation.path("chunkId").asString(), null));
        assertThat(chunk.path("text").asString()).contains("27 days of paid holiday");
        assertThat(download(b, admin, id)).isEqualTo(content);
        assertThat(HttpTestClient.json(httpB.get("/health/ready")).path("components").path("knowledgeIndex").path("status").asString())
                .as("B's index caught up with the database").isEqualTo("UP");

        assertThat(onB.send(admin, "DELETE", "/api/documents/" + id, null).statusCode()).isEqualTo(204);
        // A's search leaves the deleted document out at once (hits whose chunk row is gone are dropped); A's own index
        // drops its chunks on the follower's next pass.
        assertThat(HttpTestClient.json(onA.send(admin, "POST", "/api/knowledge/search", query)).path("results").isEmpty()).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.getBean(ChunkIndex.class).countDocumentChunks(admin.tenantId(), UUID.fromString(id)) == 0);
    }

    @Test
    void aReplicaClosedInTheMiddleOfAnIngestionLeavesTheJobToTheOther() throws Exception {
        EMBEDDINGS.reset().holdTextsContaining("of procedure 40:", release);
        start("--switchboard.knowledge.embedding.provider=openai", "--switchboard.knowledge.embedding.base-url=" + EMBEDDINGS.baseUrl()
                + "/v1", "--switchboard.knowledge.embedding.model=fake-embed", "--switchboard.knowledge.embedding.api-key=sk-replicas-key",
                "--switchboard.knowledge.embedding.max-retries=0");
        HttpTestClient httpA = http(a);
        Accounts onA = new Accounts(httpA);
        Accounts onB = new Accounts(http(b));
        Session admin = onA.newTenantAdmin();
        String kb = HttpTestClient.json(onA.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Ops\"}")).path("id").asString();

        workers(b).stop();
        // A hundred chunks, about one a procedure: A embeds its first batch, then the provider holds the batch with
        // procedure 40 until A is closed (its workers get 10 s to finish, then are interrupted), so B has the rest to do.
        String id = HttpTestClient.json(Uploads.document(httpA, admin.bearer(), kb, "manual.md", InterruptedIngestion.manual(
                "Plant manual", 100))).path("id").asString();
        InterruptedIngestion.awaitPartWayEmbedded(() -> HttpTestClient.json(onA.send(admin, "GET", "/api/documents/" + id, null)));
        a.close();
        a = null;
        assertThat(SchemaOwner.value(b, "select consecutive_failures || '/' || picked from scheduled_tasks where task_instance = '"
                + id + "'")).as("A's stop handed the job back, due at once, not as a failure").isEqualTo("0/false");
        release.countDown();
        workers(b).start();

        // A bound, not a timing: B waits for A's claim on the job to lapse, then embeds the rest.
        await().atMost(Duration.ofSeconds(300)).until(() -> status(onB, admin, id).equals("indexed"));
        JsonNode document = HttpTestClient.json(onB.send(admin, "GET", "/api/documents/" + id, null));
        int total = document.path("chunksTotal").asInt();
        assertThat(document.path("chunksDone").asInt()).isEqualTo(total);
        assertThat(b.getBean(ChunkIndex.class).countDocumentChunks(admin.tenantId(), UUID.fromString(id)))
                .as("every chunk once in B's index, A's batches included").isEqualTo(total);
        assertThat(InterruptedIngestion.chunkRows(b, id)).as("rows / ordinals / vectors / attempts: B ran the job again")
                .isEqualTo(total + "/" + total + "/" + total + "/2");
        assertThat(EMBEDDINGS.received()).as("both replicas embedded with the remote model").isNotEmpty();
    }

    /** The replica's ingestion workers (a lifecycle of their own: stopping them leaves the web server running). */
    static Lifecycle workers(ConfigurableApplicationContext context) {
        return context.getBean("ingestionJobs", Lifecycle.class);
    }

    static String status(Accounts accounts, Session admin, String id) {
        return HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null)).path("status").asString();
    }

    static HttpTestClient http(ConfigurableApplicationContext context) {
        return new HttpTestClient(port(context));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static byte[] download(ConfigurableApplicationContext context, Session session, String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port(
                context)
                + "/api/documents/" + id + "/file")).header("Authorization", session.bearer()).build(), HttpResponse.BodyHandlers
                        .ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
