package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class UserManagementIntegrationTests extends ApiTestSupport {

    Session admin;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
    }

    @Test
    void adminsCreateListChangeAndDeleteUsers() {
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/users",
                "{\"email\":\"carol@" + admin.tenantId() + ".test\",\"password\":\"" + Accounts.PASSWORD + "\",\"role\":\"MEMBER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = HttpTestClient.json(created).path("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/users/" + id);
        assertThat(created.body()).doesNotContain("password");

        JsonNode list = HttpTestClient.json(accounts.send(admin, "GET", "/api/users", null));
        assertThat(list.findValuesAsString("id")).contains(id, admin.userId().toString()).hasSize(2);

        JsonNode promoted = HttpTestClient.json(accounts.send(admin, "PATCH", "/api/users/" + id, "{\"role\":\"ADMIN\"}"));
        assertThat(promoted.path("role").asString()).isEqualTo("ADMIN");

        assertThat(accounts.send(admin, "DELETE", "/api/users/" + id, null).statusCode()).isEqualTo(204);
        assertProblem(accounts.send(admin, "GET", "/api/users/" + id, null), 404, "not-found");
    }

    @Test
    void membersAreForbidden() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "GET", "/api/users", null), 403, "forbidden");
        assertProblem(accounts.send(member, "POST", "/api/users",
                "{\"email\":\"x@example.test\",\"password\":\"" + Accounts.PASSWORD + "\",\"role\":\"ADMIN\"}"), 403, "forbidden");
        assertProblem(accounts.send(member, "PATCH", "/api/users/" + member.userId(), "{\"role\":\"ADMIN\"}"), 403, "forbidden");
    }

    @Test
    void aTenantKeepsItsLastAdmin() {
        assertProblem(accounts.send(admin, "PATCH", "/api/users/" + admin.userId(), "{\"role\":\"MEMBER\"}"), 409, "last-admin");
        assertProblem(accounts.send(admin, "PATCH", "/api/users/" + admin.userId(), "{\"disabled\":true}"), 409, "last-admin");
        assertProblem(accounts.send(admin, "DELETE", "/api/users/" + admin.userId(), null), 409, "last-admin");
    }

    @Test
    void passwordsFollowThePolicy() {
        for (String weak : new String[] {"short-pw", "1qaz2wsx3edc", "123qweasdzxc"}) {
            JsonNode body = assertProblem(accounts.send(admin, "POST", "/api/users",
                    "{\"email\":\"weak" + System.nanoTime() + "@example.test\",\"password\":\"" + weak + "\",\"role\":\"MEMBER\"}"),
                    400, "weak-password");
            assertThat(body.path("detail").asString()).doesNotContain(weak);
        }
    }

    @Test
    void emailAddressesAreUniqueIgnoringCase() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(admin, "POST", "/api/users", "{\"email\":\"" + member.email().toUpperCase()
                + "\",\"password\":\"" + Accounts.PASSWORD + "\",\"role\":\"MEMBER\"}"), 409, "email-taken");
    }

    @Test
    void invalidRequestsAreBadRequests() {
        JsonNode body = assertProblem(accounts.send(admin, "POST", "/api/users",
                "{\"email\":\"nope\",\"password\":\"\",\"role\":\"OWNER\"}"), 400, "malformed-body");
        assertThat(body.path("detail").asString()).contains("role");
        assertProblem(accounts.send(admin, "POST", "/api/users", "{\"email\":\"nope\",\"password\":\"\",\"role\":\"MEMBER\"}"),
                400, "validation");
    }

    @Test
    void anotherTenantsUsersDoNotExist() {
        Session other = accounts.newTenantAdmin();
        String foreign = "/api/users/" + other.userId();
        assertProblem(accounts.send(admin, "GET", foreign, null), 404, "not-found");
        assertProblem(accounts.send(admin, "PATCH", foreign, "{\"disabled\":true}"), 404, "not-found");
        assertProblem(accounts.send(admin, "DELETE", foreign, null), 404, "not-found");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/users", null)).findValuesAsString("id"))
                .doesNotContain(other.userId().toString());
        assertThat(http.get("/api/auth/me", "Authorization", other.bearer()).statusCode()).isEqualTo(200);
    }
}
