package dev.switchboard.ui;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * The admin console's knowledge pages over HTTP (who sees them), and the API they and the chat use: documents paged by
 * cursor, a document re-indexed, a cited passage and its file opened by the people who may, a model's citation quoting
 * its passage, and sessions searched by title and message text, each user's own only.
 */
@IntegrationTest
class KnowledgePagesIntegrationTests {

    static final String HOLIDAY = "Paid holiday. Every employee gets 27 days of paid holiday per calendar year, plus public holidays.";

    /** A model registered at run time as a tenant's provider (no properties: this shares the default context). */
    static final FakeLlmServer MODEL = FakeLlmServer.start();

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @LocalServerPort
    int port;

    HttpTestClient http;
    Accounts accounts;
    Accounts.Session admin;

    @BeforeEach
    void tenant() {
        http = new HttpTestClient(port);
        accounts = new Accounts(http);
        admin = accounts.newTenantAdmin();
    }

    @Test
    void theKnowledgePagesAreTheAdminsOnly() {
        String base = knowledgeBase(admin, "Handbook <b>2026</b>");
        String session = sessionCookie(admin);
        HttpResponse<String> list = http.get("/admin/knowledge", "Cookie", session);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("data-admin-page=\"knowledge\"", "href=\"/admin/knowledge\" aria-current=\"page\"");
        HttpResponse<String> one = http.get("/admin/knowledge/" + base, "Cookie", session);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("data-admin-page=\"knowledge-base\"", "data-base-id=\"" + base + "\"",
                "Handbook &lt;b&gt;2026&lt;/b&gt;").doesNotContain("<b>2026</b>");

        assertThat(http.get("/admin/knowledge/" + UUID.randomUUID(), "Cookie", session).statusCode()).isEqualTo(404);
        assertThat(http.get("/admin/knowledge/not-an-id", "Cookie", session).statusCode()).isEqualTo(404);
        Accounts.Session stranger = accounts.newTenantAdmin();
        HttpResponse<String> othersBase = http.get("/admin/knowledge/" + base, "Cookie", sessionCookie(stranger));
        assertThat(othersBase.statusCode()).as("another tenant's knowledge base").isEqualTo(404);
        assertThat(othersBase.body()).doesNotContain("Handbook");

        String member = sessionCookie(accounts.newUser(admin, "MEMBER"));
        for (String page : List.of("/admin/knowledge", "/admin/knowledge/" + base)) {
            HttpResponse<String> refused = http.get(page, "Cookie", member);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("data-admin-page", "Handbook");
            assertThat(http.get(page).statusCode()).as("anonymous: to sign in").isEqualTo(302);
        }
        assertThat(http.get("/app/admin/knowledge.js").statusCode()).isEqualTo(200);
        assertThat(http.get("/app/admin/knowledge-base.js").statusCode()).isEqualTo(200);
        assertThat(http.get("/app/passage.js").statusCode()).isEqualTo(200);
    }

    @Test
    void documentsArePagedNewestFirstByCursor() {
        String base = knowledgeBase(admin, "Paged");
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uploaded.add(upload(admin, base, "note-" + i + ".txt", "Note number " + i + " about paging.").path("id").asString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(accounts.send(admin, "GET", "/api/documents?knowledgeBaseId=" + base + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null), 200);
            page.path("documents").forEach(document -> seen.add(document.path("id").asString()));
            cursor = page.path("next").isMissingNode() ? null : page.path("next").asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).as("every document once, newest first").containsExactlyElementsOf(uploaded.reversed());
        JsonNode all = json(accounts.send(admin, "GET", "/api/documents?knowledgeBaseId=" + base, null), 200);
        assertThat(all.path("documents")).hasSize(5);
        assertThat(all.has("next")).as("one page holds them all").isFalse();

        assertProblem(accounts.send(admin, "GET", "/api/documents?knowledgeBaseId=" + base + "&cursor=bogus", null), 400, "bad-request");
        assertProblem(accounts.send(admin, "GET", "/api/documents?knowledgeBaseId=" + base + "&limit=501", null), 400, "validation");
        assertProblem(accounts.send(accounts.newTenantAdmin(), "GET", "/api/documents?knowledgeBaseId=" + base, null), 404, "not-found");
    }

    @Test
    void aDocumentIsReindexedFromItsOriginal() {
        String base = knowledgeBase(admin, "Reindexed");
        String document = upload(admin, base, "holiday.txt", HOLIDAY).path("id").asString();
        awaitStatus(document, "indexed");
        String chunk = json(accounts.send(admin, "GET", "/api/documents/" + document + "/chunks", null), 200)
                .path("chunks").path(0).path("chunkId").asString();

        assertProblem(accounts.send(accounts.newUser(admin, "MEMBER"), "POST", "/api/documents/" + document + "/reindex", null), 403,
                "forbidden");
        assertProblem(accounts.send(accounts.newTenantAdmin(), "POST", "/api/documents/" + document + "/reindex", null), 404,
                "not-found");
        JsonNode queued = json(accounts.send(admin, "POST", "/api/documents/" + document + "/reindex", null), 202);
        assertThat(queued.path("status").asString()).isEqualTo("queued");
        assertThat(queued.path("chunksDone").asInt()).isZero();

        awaitStatus(document, "indexed");
        JsonNode again = json(accounts.send(admin, "GET", "/api/documents/" + document + "/chunks", null), 200);
        assertThat(again.path("chunks").path(0).path("chunkId").asString()).as("the same chunk ids: citations keep working")
                .isEqualTo(chunk);
        // Found at once: the follower's look that applies the re-index's tombstone, whenever it comes, replaces the old chunks
        // by the rows in one index commit (ReindexFollowedIntegrationTests).
        JsonNode found = json(accounts.send(admin, "POST", "/api/knowledge/search", "{\"query\":\"paid holiday days\","
                + "\"knowledgeBaseIds\":[\"" + base + "\"]}"), 200);
        assertThat(found.path("results")).hasSize(1);
    }

    @Test
    void aCitedPassageAndItsFileOpenForTheTenantsPeopleOnly() {
        String base = knowledgeBase(admin, "Handbook");
        String document = upload(admin, base, "holiday.txt", HOLIDAY).path("id").asString();
        awaitStatus(document, "indexed");
        String providerId = "fake" + UUID.randomUUID().toString().substring(0, 8);
        json(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"" + providerId + "\",\"kind\":\"openai\",\"baseUrl\":\""
                + MODEL.baseUrl() + "/v1\",\"apiKey\":\"test-key\"}"), 201);
        json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"librarian\",\"name\":\"Librarian\",\"instructions\":"
                + "\"Answer from the handbook.\",\"membersAllowed\":true,\"chain\":\"" + providerId
                + ":gpt-test\",\"allowedTools\":[\"search_knowledge\"],"
                + "\"knowledgeBaseIds\":[\"" + base + "\"]}"), 201);
        Accounts.Session member = accounts.newUser(admin, "MEMBER");
        MODEL.reset().then(Behaviour.callTool("call_search", "search_knowledge", "{\"query\":\"paid holiday days\",\"topK\":3}"),
                Behaviour.reply("You get 27 days of paid holiday [1]."));

        JsonNode reply = json(accounts.send(member, "POST", "/api/chat", "{\"agent\":\"librarian\",\"message\":\"How many days "
                + "of paid holiday do I get?\"}"), 200);
        JsonNode citation = reply.path("message").path("citations").path(0);
        assertThat(citation.path("documentName").asString()).isEqualTo("holiday.txt");
        assertThat(citation.path("quote").asString()).as("the model's [1] quotes the opening of its passage")
                .isEqualTo(HOLIDAY);

        String chunkId = citation.path("chunkId").asString();
        JsonNode passage = json(accounts.send(member, "GET", "/api/knowledge/chunks/" + chunkId, null), 200);
        assertThat(passage.path("text").asString()).isEqualTo(HOLIDAY);
        assertThat(passage.path("documentId").asString()).isEqualTo(document);
        HttpResponse<String> file = accounts.send(member, "GET", "/api/documents/" + document + "/file", null);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(HOLIDAY);
        assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).startsWith(
                "attachment"));

        Accounts.Session stranger = accounts.newTenantAdmin();
        assertProblem(accounts.send(stranger, "GET", "/api/knowledge/chunks/" + chunkId, null), 404, "not-found");
        assertProblem(accounts.send(stranger, "GET", "/api/documents/" + document + "/file", null), 404, "not-found");
        assertThat(http.get("/api/knowledge/chunks/" + chunkId).statusCode()).isEqualTo(401);

        JsonNode messages = json(accounts.send(member, "GET", "/api/sessions/" + reply.path("sessionId").asString() + "/messages",
                null), 200).path("messages");
        JsonNode answer = messages.get(messages.size() - 1);
        assertThat(answer.path("role").asString()).isEqualTo("assistant");
        assertThat(answer.path("citations").path(0).path("quote").asString()).as("stored with the answer").isEqualTo(HOLIDAY);
    }

    @Test
    void sessionsAreSearchedByTitleAndMessageTextOwnersOnly() {
        json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"quoter\",\"name\":\"Quoter\",\"instructions\":\"Answer.\","
                + "\"chain\":\"local:extractive\"}"), 201);
        String kubernetes = chat(admin, "Qwertz: how do I restart the Kubernetes deployment?");
        String invoices = chat(admin, "Qwertz: where are the invoices of March kept?");
        String renamed = chat(admin, "Something entirely unrelated.");
        json(accounts.send(admin, "PATCH", "/api/sessions/" + renamed, "{\"title\":\"Quarterly planning Zebra\"}"), 200);
        Accounts.Session colleague = accounts.newUser(admin, "ADMIN");
        chat(colleague, "My own Kubernetes question.");

        assertThat(search(admin, "kubernetes")).containsExactly(kubernetes);
        assertThat(search(admin, "KUBE")).as("a prefix, any case").containsExactly(kubernetes);
        assertThat(search(admin, "invoices march")).as("every word").containsExactly(invoices);
        assertThat(search(admin, "invoices kubernetes")).isEmpty();
        assertThat(search(admin, "zebra")).as("by title").containsExactly(renamed);
        assertThat(search(admin, "xq & yq | !zq:* ' (\\\\")).as("operators are not passed on").isEmpty();
        assertThat(search(admin, "  ")).as("blank: every session").hasSize(3);
        assertThat(search(colleague, "kubernetes")).as("the colleague's own only").hasSize(1).doesNotContain(kubernetes);

        String word = "qwertz";
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(accounts.send(admin, "GET", "/api/sessions?limit=1&q=" + word + (cursor == null ? "" : "&cursor="
                    + cursor),
                    null), 200);
            page.path("sessions").forEach(session -> paged.add(session.path("id").asString()));
            cursor = page.path("next").isMissingNode() ? null : page.path("next").asString();
        } while (cursor != null);
        assertThat(paged).as("paged with the search kept").containsExactly(invoices, kubernetes);

        assertProblem(accounts.send(admin, "GET", "/api/sessions?q=%21%21%21", null), 400, "bad-request");
        assertProblem(accounts.send(admin, "GET", "/api/sessions?q=" + "x".repeat(201), null), 400, "validation");
    }

    private List<String> search(Accounts.Session user, String words) {
        JsonNode page = json(accounts.send(user, "GET", "/api/sessions?limit=100&q="
                + java.net.URLEncoder.encode(words, StandardCharsets.UTF_8), null), 200);
        List<String> ids = new ArrayList<>();
        page.path("sessions").forEach(session -> ids.add(session.path("id").asString()));
        return ids;
    }

    private String chat(Accounts.Session user, String message) {
        return json(accounts.send(user, "POST", "/api/chat", "{\"agent\":\"quoter\",\"message\":\"" + message + "\"}"), 200)
                .path("sessionId").asString();
    }

    private String knowledgeBase(Accounts.Session user, String name) {
        return json(accounts.send(user, "POST", "/api/knowledge-bases", "{\"name\":\"" + name + "\"}"), 201).path("id").asString();
    }

    private JsonNode upload(Accounts.Session user, String base, String name, String text) {
        HttpResponse<String> response = Uploads.document(http, user.bearer(), base, name, text.getBytes(StandardCharsets.UTF_8));
        return json(response, 202);
    }

    private void awaitStatus(String document, String status) {
        await().atMost(Duration.ofSeconds(90)).until(() -> json(accounts.send(admin, "GET", "/api/documents/" + document, null), 200)
                .path("status").asString(), status::equals);
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return HttpTestClient.json(response);
    }

    /** A browser session of the user: the SB_SESSION cookie of a cookie sign-in. */
    private String sessionCookie(Accounts.Session user) {
        HttpResponse<String> login = http.postJson("/api/auth/login",
                "{\"email\":\"" + user.email() + "\",\"password\":\"" + Accounts.PASSWORD + "\",\"cookie\":true}");
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SB_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }
}
