package dev.switchboard.knowledge;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.knowledge.internal.parsing.Fixtures;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/** Knowledge over HTTP: upload → ingestion → search → a grounded, cited chat answer; every bad upload; isolation. */
@IntegrationTest
class KnowledgeIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    static final String HANDBOOK = "# Employee handbook\n\n## Holidays\n\nEvery employee has 27 days of paid holiday a year. "
            + "Unused holiday days can be carried over until the end of March.\n\n## Expenses\n\nTravel expenses are reimbursed "
            + "within 14 days when the receipt is uploaded to the finance portal.\n";

    Session admin;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "k");
        registry.add("switchboard.knowledge.max-upload", () -> "200KB");
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("You have 27 days of paid holiday [1]."));
        admin = accounts.newTenantAdmin();
    }

    String knowledgeBase(Session session, String name) {
        return HttpTestClient.json(accounts.send(session, "POST", "/api/knowledge-bases", "{\"name\":\"" + name + "\"}"))
                .path("id").asString();
    }

    HttpResponse<String> upload(Session session, String knowledgeBaseId, String fileName, byte[] content) {
        return Uploads.document(http, session.bearer(), knowledgeBaseId, fileName, content);
    }

    JsonNode awaitDone(Session session, String documentId) {
        return await("document " + documentId + " is ingested").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> HttpTestClient.json(accounts.send(session, "GET", "/api/documents/" + documentId, null)),
                        document -> document.path("status").asString().equals("indexed")
                                || document.path("status").asString().equals("failed"));
    }

    String indexed(Session session, String kb, String name, byte[] content) throws InterruptedException {
        HttpResponse<String> response = upload(session, kb, name, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String id = HttpTestClient.json(response).path("id").asString();
        JsonNode done = awaitDone(session, id);
        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("indexed");
        return id;
    }

    @Test
    void uploadIngestSearchAndAnswerWithCitations() throws Exception {
        String kb = knowledgeBase(admin, "HR");
        String id = indexed(admin, kb, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode document = HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null));
        assertThat(document.path("mediaType").asString()).isEqualTo("text/markdown");
        assertThat(document.path("chunksDone").asInt()).isEqualTo(document.path("chunksTotal").asInt()).isPositive();
        assertThat(document.path("sha256").asString()).hasSize(64);

        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"How many holiday "
                + "days do I get?\",\"knowledgeBaseIds\":[\"" + kb + "\"],\"topK\":3}"));
        assertThat(search.path("relevant").asBoolean()).isTrue();
        assertThat(search.path("bestRelevance").asDouble()).isGreaterThanOrEqualTo(0.55);
        JsonNode best = search.path("results").get(0);
        assertThat(best.path("text").asString()).contains("27 days of paid holiday");
        assertThat(best.path("documentId").asString()).isEqualTo(id);
        assertThat(best.path("documentName").asString()).isEqualTo("handbook.md");
        assertThat(best.path("location").asString()).contains("Holidays");

        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"chain\":\"fake:gpt-hr\","
                + "\"knowledgeBaseIds\":[\"" + kb + "\"]}");
        JsonNode answer = HttpTestClient.json(accounts.send(admin, "POST", "/api/chat",
                "{\"agent\":\"hr\",\"message\":\"How many holiday days do I get?\"}"));
        assertThat(PROVIDER.received().getLast().body().toString()).contains("untrusted data").contains("27 days of paid holiday")
                .contains("<passage number=\\\"1\\\" source=\\\"handbook.md");
        JsonNode citation = answer.path("message").path("citations").get(0);
        assertThat(citation.path("documentId").asString()).isEqualTo(id);
        assertThat(citation.path("documentName").asString()).isEqualTo("handbook.md");
        assertThat(citation.path("chunkId").asString()).isEqualTo(best.path("chunkId").asString());
        assertThat(citation.path("location").asString()).contains("Holidays");

        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"offline-hr\",\"name\":\"Offline HR\",\"chain\":\"local:extractive\","
                + "\"knowledgeBaseIds\":[\"" + kb + "\"]}");
        JsonNode local = HttpTestClient.json(accounts.send(admin, "POST", "/api/chat",
                "{\"agent\":\"offline-hr\",\"message\":\"How many days of paid holiday does an employee have?\"}"));
        assertThat(local.path("message").path("content").asString()).contains("No language model produced this answer")
                .contains("Every employee has 27 days of paid holiday a year.");
        assertThat(local.path("message").path("citations").get(0).path("documentId").asString()).isEqualTo(id);
    }

    @Test
    void anUnrelatedQuestionFindsNothingAndThePersonaIsToldSo() throws Exception {
        String kb = knowledgeBase(admin, "HR");
        indexed(admin, kb, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"What is the "
                + "boiling point of liquid nitrogen?\",\"knowledgeBaseIds\":[\"" + kb + "\"]}"));
        assertThat(search.path("relevant").asBoolean()).isFalse();
        assertThat(search.path("bestRelevance").asDouble()).isLessThan(0.55);
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"hr\",\"name\":\"HR\",\"chain\":\"fake:gpt-hr\","
                + "\"knowledgeBaseIds\":[\"" + kb + "\"]}");
        accounts.send(admin, "POST", "/api/chat", "{\"agent\":\"hr\",\"message\":\"What is the boiling point of liquid nitrogen?\"}");
        assertThat(PROVIDER.received().getLast().body().toString()).contains("holds nothing relevant").doesNotContain("<passage");
    }

    @Test
    void identicalUploadsAreRecognisedAndDocumentsCanBeDeleted() throws Exception {
        String kb = knowledgeBase(admin, "HR");
        String id = indexed(admin, kb, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> again = upload(admin, kb, "copy-of-handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(again).path("duplicate").asBoolean()).isTrue();
        assertThat(HttpTestClient.json(again).path("id").asString()).isEqualTo(id);
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/documents?knowledgeBaseId=" + kb, null)).path("documents"))
                .hasSize(1);

        assertThat(accounts.send(admin, "DELETE", "/api/documents/" + id, null).statusCode()).isEqualTo(204);
        assertProblem(accounts.send(admin, "GET", "/api/documents/" + id, null), 404, "not-found");
        JsonNode search = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search",
                "{\"query\":\"holiday\",\"knowledgeBaseIds\":[\"" + kb + "\"]}"));
        assertThat(search.path("results").isEmpty()).isTrue();
    }

    @Test
    void badUploadsAreRefusedOrFailWithAReason() throws Exception {
        String kb = knowledgeBase(admin, "Files");
        assertProblem(upload(admin, kb, "big.txt", "x".repeat(300 * 1024).getBytes(StandardCharsets.UTF_8)), 413, "payload-too-large");
        assertProblem(upload(admin, kb, "image.pdf", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13}),
                415, "unsupported-document-type");
        assertProblem(upload(admin, UUID.randomUUID().toString(), "a.txt", "hello".getBytes(StandardCharsets.UTF_8)), 404, "not-found");

        assertFailed(kb, "secret.pdf", Fixtures.encryptedPdf("Secret plans."), "encrypted");
        assertFailed(kb, "empty.txt", new byte[0], "empty");
        byte[] pdf = Fixtures.pdf("Some text");
        assertFailed(kb, "broken.pdf", java.util.Arrays.copyOf(pdf, pdf.length / 3), "could not be read");

        JsonNode named = HttpTestClient.json(upload(admin, kb, "../../etc/\u202Epasswd.md", "# Hi\n\nThere.".getBytes(
                StandardCharsets.UTF_8)));
        assertThat(named.path("document").path("name").asString()).isEqualTo("passwd.md");
        assertProblem(upload(admin, kb, "pass\u0000wd.md", "# Hi\n\nAgain.".getBytes(StandardCharsets.UTF_8)), 400, "malformed-body");
    }

    private void assertFailed(String kb, String name, byte[] content, String reason) throws InterruptedException {
        HttpResponse<String> response = upload(admin, kb, name, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode done = awaitDone(admin, HttpTestClient.json(response).path("id").asString());
        assertThat(done.path("status").asString()).isEqualTo("failed");
        assertThat(done.path("error").asString()).containsIgnoringCase(reason);
    }

    @Test
    void searchesNeverCrossTenantsOrKnowledgeBases() throws Exception {
        String hr = knowledgeBase(admin, "HR");
        String other = knowledgeBase(admin, "Other");
        indexed(admin, hr, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode wrongBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search",
                "{\"query\":\"holiday days\",\"knowledgeBaseIds\":[\"" + other + "\"]}"));
        assertThat(wrongBase.path("results").isEmpty()).isTrue();

        Session stranger = accounts.newTenantAdmin();
        assertProblem(accounts.send(stranger, "POST", "/api/knowledge/search", "{\"query\":\"holiday days\",\"knowledgeBaseIds\":[\""
                + hr + "\"]}"), 404, "not-found");
        assertProblem(accounts.send(stranger, "GET", "/api/documents?knowledgeBaseId=" + hr, null), 404, "not-found");
        // one base of the tenant's and one of another tenant's: the check (made with the hits' row check) names the other
        HttpResponse<String> mixed = accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"holiday days\","
                + "\"knowledgeBaseIds\":[\"" + hr + "\",\"" + knowledgeBase(stranger, "Theirs") + "\"]}");
        assertProblem(mixed, 404, "not-found");
        assertThat(mixed.body()).contains("There is no knowledge base").doesNotContain(hr);
        String theirs = knowledgeBase(stranger, "HR");
        indexed(stranger, theirs, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode own = HttpTestClient.json(accounts.send(stranger, "POST", "/api/knowledge/search",
                "{\"query\":\"holiday days\",\"knowledgeBaseIds\":[\"" + theirs + "\"]}"));
        assertThat(own.path("results").findValuesAsString("documentId")).isNotEmpty()
                .allSatisfy(documentId -> assertThat(HttpTestClient.json(accounts.send(stranger, "GET", "/api/documents/" + documentId,
                        null)).path("knowledgeBaseId").asString()).isEqualTo(theirs));

        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "POST", "/api/knowledge-bases", "{\"name\":\"Mine\"}"), 403, "forbidden");
        assertProblem(upload(member, hr, "a.md", "# A\n\nB".getBytes(StandardCharsets.UTF_8)), 403, "forbidden");
        assertThat(accounts.send(member, "POST", "/api/knowledge/search", "{\"query\":\"holiday\",\"knowledgeBaseIds\":[\"" + hr
                + "\"]}").statusCode()).isEqualTo(200);
    }

    @Test
    void aCitationCanBeCheckedAgainstItsChunkAndTheOriginal() throws Exception {
        String kb = knowledgeBase(admin, "HR");
        String id = indexed(admin, kb, "handbook.md", HANDBOOK.getBytes(StandardCharsets.UTF_8));
        JsonNode hit = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"travel expenses "
                + "receipt\",\"knowledgeBaseIds\":[\"" + kb + "\"],\"topK\":1}")).path("results").get(0);

        JsonNode chunk = HttpTestClient.json(accounts.send(admin, "GET", "/api/knowledge/chunks/" + hit.path("chunkId").asString(), null));
        assertThat(chunk.path("text").asString()).isEqualTo(hit.path("text").asString());
        assertThat(chunk.path("documentId").asString()).isEqualTo(id);
        assertThat(chunk.path("knowledgeBaseId").asString()).isEqualTo(kb);
        assertThat(chunk.path("location").asString()).isEqualTo(hit.path("location").asString());

        int total = HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id, null)).path("chunksTotal").asInt();
        StringBuilder all = new StringBuilder();
        int pages = 0;
        String after = "-1";
        while (after != null) {
            JsonNode page = HttpTestClient.json(accounts.send(admin, "GET", "/api/documents/" + id + "/chunks?limit=1&after=" + after,
                    null));
            page.path("chunks").forEach(c -> all.append(c.path("text").asString()).append('\n'));
            after = page.path("nextAfter").isNull() ? null : page.path("nextAfter").asString();
            pages++;
        }
        assertThat(pages).isEqualTo(total);
        assertThat(all.toString()).contains("27 days of paid holiday").contains("within 14 days");

        HttpResponse<String> file = accounts.send(admin, "GET", "/api/documents/" + id + "/file", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(HANDBOOK);
        assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment")
                .contains("handbook.md"));
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/markdown"));

        Session stranger = accounts.newTenantAdmin();
        assertProblem(accounts.send(stranger, "GET", "/api/knowledge/chunks/" + hit.path("chunkId").asString(), null), 404, "not-found");
        assertProblem(accounts.send(stranger, "GET", "/api/documents/" + id + "/file", null), 404, "not-found");
        assertProblem(accounts.send(stranger, "GET", "/api/documents/" + id + "/chunks", null), 404, "not-found");
        assertProblem(accounts.send(admin, "GET", "/api/documents/" + id + "/chunks?limit=0", null), 400, "validation");

        assertThat(accounts.send(admin, "DELETE", "/api/documents/" + id, null).statusCode()).isEqualTo(204);
        assertProblem(accounts.send(admin, "GET", "/api/knowledge/chunks/" + hit.path("chunkId").asString(), null), 404, "not-found");
    }
}
