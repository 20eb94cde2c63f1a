package dev.switchboard.persona;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class PersonasIntegrationTests extends ApiTestSupport {

    static final String SUPPORT = "{\"slug\":\"support\",\"name\":\"Support\",\"description\":\"Answers customers\","
            + "\"instructions\":\"You are helpful.\",\"chain\":\"local:extractive\",\"temperature\":0.3,\"maxTokens\":500,"
            + "\"allowedTools\":[\"search_knowledge\"]}";

    Session admin;
    Session member;

    @BeforeEach
    void accounts() {
        admin = accounts.newTenantAdmin();
        member = accounts.newUser(admin, "MEMBER");
    }

    JsonNode create(String body) {
        HttpResponse<String> response = accounts.send(admin, "POST", "/api/personas", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return HttpTestClient.json(response);
    }

    @Test
    void adminsManagePersonasAndEveryChangeIsAVersion() {
        JsonNode created = create(SUPPORT);
        String id = created.path("id").asString();
        assertThat(created.path("version").asInt()).isEqualTo(1);
        assertThat(created.path("membersAllowed").asBoolean()).isTrue();
        assertThat(created.path("chain").asString()).isEqualTo("local:extractive");

        HttpResponse<String> replaced = accounts.send(admin, "PUT", "/api/personas/" + id,
                SUPPORT.replace("You are helpful.", "You are very helpful."));
        assertThat(HttpTestClient.json(replaced).path("version").asInt()).isEqualTo(2);

        JsonNode versions = HttpTestClient.json(accounts.send(admin, "GET", "/api/personas/" + id + "/versions", null));
        assertThat(versions.path("versions").findValuesAsString("instructions"))
                .containsExactly("You are very helpful.", "You are helpful.");

        assertThat(HttpTestClient.json(accounts.send(member, "GET", "/api/personas/support", null)).path("id").asString()).isEqualTo(id);
        assertThat(HttpTestClient.json(accounts.send(member, "GET", "/api/agents", null)).path("agents").findValuesAsString("slug"))
                .containsExactly("support");

        assertThat(accounts.send(admin, "DELETE", "/api/personas/" + id, null).statusCode()).isEqualTo(204);
        assertProblem(accounts.send(admin, "GET", "/api/personas/" + id, null), 404, "not-found");
        create(SUPPORT);
    }

    @Test
    void whoMayNotAdministerAPersonaSeesItsSummaryNeverItsConfiguration() {
        String id = create(SUPPORT).path("id").asString();
        String adminChatKey = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys",
                "{\"name\":\"chat\",\"scopes\":[\"chat\"]}")).path("key").asString();
        List<HttpResponse<String>> reads = List.of(
                accounts.send(member, "GET", "/api/personas/support", null),
                accounts.send(member, "GET", "/api/personas/" + id, null),
                accounts.send(member, "GET", "/api/personas", null),
                http.get("/api/personas/support", "X-API-Key", adminChatKey),
                http.get("/api/personas", "X-API-Key", adminChatKey));
        for (HttpResponse<String> read : reads) {
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"Support\"", "Answers customers", id)
                    .doesNotContain("You are helpful.", "local:extractive", "search_knowledge", "instructions", "chain",
                            "allowedTools", "temperature");
        }
        assertThat(accounts.send(admin, "GET", "/api/personas/support", null).body()).contains("You are helpful.");

        String knowledgeOnly = HttpTestClient.json(accounts.send(member, "POST", "/api/keys",
                "{\"name\":\"kb\",\"scopes\":[\"knowledge:read\"]}")).path("key").asString();
        assertProblem(http.get("/api/personas", "X-API-Key", knowledgeOnly), 403, "forbidden");
        assertProblem(http.get("/api/personas/support", "X-API-Key", knowledgeOnly), 403, "forbidden");
    }

    @Test
    void membersMayNotWriteAndSeeOnlyWhatTheyMayUse() {
        assertProblem(accounts.send(member, "POST", "/api/personas", SUPPORT), 403, "forbidden");
        JsonNode internal = create(SUPPORT.replace("\"support\"", "\"internal\"").replace("\"name\":\"Support\"",
                "\"name\":\"Internal\",\"membersAllowed\":false"));
        assertProblem(accounts.send(member, "PUT", "/api/personas/" + internal.path("id").asString(), SUPPORT), 403, "forbidden");
        assertProblem(accounts.send(member, "DELETE", "/api/personas/" + internal.path("id").asString(), null), 403, "forbidden");
        assertProblem(accounts.send(member, "GET", "/api/personas/internal", null), 404, "not-found");
        assertThat(HttpTestClient.json(accounts.send(member, "GET", "/api/agents", null)).path("agents").isEmpty()).isTrue();
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/agents", null)).path("agents").findValuesAsString("slug"))
                .containsExactly("internal");

        Session other = accounts.newTenantAdmin();
        assertProblem(accounts.send(other, "GET", "/api/personas/" + internal.path("id").asString(), null), 404, "not-found");
        assertThat(HttpTestClient.json(accounts.send(other, "GET", "/api/personas", null)).path("personas").isEmpty()).isTrue();
    }

    @Test
    void badPersonasAreRefusedClearly() {
        create(SUPPORT);
        assertProblem(accounts.send(admin, "POST", "/api/personas", SUPPORT), 409, "slug-taken");
        assertProblem(accounts.send(admin, "POST", "/api/personas", SUPPORT.replace("\"support\"", "\"Not A Slug\"")), 400, "validation");
        assertProblem(accounts.send(admin, "POST", "/api/personas", SUPPORT.replace("local:extractive", "no-colon")), 400, "validation");
        assertProblem(accounts.send(admin, "POST", "/api/personas", SUPPORT.replace("0.3", "7")), 400, "validation");
        assertProblem(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"x\"}"), 400, "validation");
        assertProblem(accounts.send(admin, "PUT", "/api/personas/00000000-0000-0000-0000-000000000000", SUPPORT), 404, "not-found");
    }
}
