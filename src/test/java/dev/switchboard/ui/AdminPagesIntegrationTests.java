package dev.switchboard.ui;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/**
 * The admin console's persona, user and key pages over HTTP (who gets them), and the API they brought: restoring a
 * persona's version, the tools a persona may be allowed, and users a page at a time.
 */
@IntegrationTest
class AdminPagesIntegrationTests extends ApiTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    private static final List<String> PAGES = List.of("/admin/personas", "/admin/personas/new",
            "/admin/personas/" + UUID.randomUUID(), "/admin/users", "/admin/keys");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @Test
    void thePagesAreTheAdminsOnly() {
        Session admin = accounts.newTenantAdmin();
        Session member = accounts.newUser(admin, "MEMBER");
        String adminCookie = sessionCookie(admin);
        String memberCookie = sessionCookie(member);
        for (String page : PAGES) {
            HttpResponse<String> shown = http.get(page, "Cookie", adminCookie);
            assertThat(shown.statusCode()).as(page).isEqualTo(200);
            assertThat(shown.body()).as(page).contains("data-admin-page=", "href=\"/admin/keys\"")
                    .doesNotContain("style=\"");
            HttpResponse<String> refused = http.get(page, "Cookie", memberCookie);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).doesNotContain("data-admin-page=");
            HttpResponse<String> anonymous = http.get(page);
            assertThat(anonymous.statusCode()).as(page).isEqualTo(302);
            assertThat(anonymous.headers().firstValue("Location")).as(page)
                    .hasValueSatisfying(to -> assertThat(to).endsWith("/sign-in"));
        }
        assertThat(http.get("/admin/personas/" + UUID.randomUUID(), "Cookie", adminCookie).body())
                .contains("data-persona-id=");
    }

    @Test
    void aVersionIsRestoredAsANewVersionAndAudited() {
        Session admin = accounts.newTenantAdmin();
        String id = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas",
                "{\"slug\":\"helper\",\"name\":\"Helper\",\"instructions\":\"First.\",\"allowedTools\":[\"search_knowledge\"]}"))
                .path("id").asString();
        JsonNode changed = HttpTestClient.json(accounts.send(admin, "PUT", "/api/personas/" + id,
                "{\"slug\":\"helper\",\"name\":\"Helper two\",\"instructions\":\"Second.\"}"));
        assertThat(changed.path("version").asInt()).isEqualTo(2);

        HttpResponse<String> restored = accounts.send(admin, "POST", "/api/personas/" + id + "/versions/1/restore", null);
        assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        JsonNode persona = HttpTestClient.json(restored);
        assertThat(persona.path("version").asInt()).isEqualTo(3);
        assertThat(persona.path("name").asString()).isEqualTo("Helper");
        assertThat(persona.path("instructions").asString()).isEqualTo("First.");
        assertThat(persona.path("allowedTools").get(0).asString()).isEqualTo("search_knowledge");
        JsonNode versions = HttpTestClient.json(accounts.send(admin, "GET", "/api/personas/" + id + "/versions", null))
                .path("versions");
        assertThat(versions.valueStream().map(v -> v.path("version").asInt()).toList()).containsExactly(3, 2, 1);

        await().untilAsserted(() -> {
            JsonNode entries = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries");
            assertThat(entries.findValuesAsString("action")).contains("persona.created", "persona.updated", "persona.restored");
            JsonNode entry = entries.valueStream().filter(e -> e.path("action").asString().equals("persona.restored"))
                    .findFirst().orElseThrow();
            assertThat(entry.path("subjectId").asString()).isEqualTo(id);
            assertThat(entry.path("actorEmail").asString()).isEqualTo(admin.email());
            assertThat(entry.path("details").path("restoredVersion").asInt()).isEqualTo(1);
            assertThat(entry.path("details").path("version").asInt()).isEqualTo(3);
        });

        assertProblem(accounts.send(admin, "POST", "/api/personas/" + id + "/versions/9/restore", null), 404, "not-found");
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "POST", "/api/personas/" + id + "/versions/1/restore", null), 403, "forbidden");
        Session stranger = accounts.newTenantAdmin();
        assertProblem(accounts.send(stranger, "POST", "/api/personas/" + id + "/versions/1/restore", null), 404, "not-found");
    }

    @Test
    void aVersionNamingASlugTakenSinceIsRefusedWithTheReason() {
        Session admin = accounts.newTenantAdmin();
        String id = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"old\",\"name\":\"Old\"}"))
                .path("id").asString();
        accounts.send(admin, "PUT", "/api/personas/" + id, "{\"slug\":\"new\",\"name\":\"New\"}");
        accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"old\",\"name\":\"Another\"}");
        JsonNode problem = assertProblem(accounts.send(admin, "POST", "/api/personas/" + id + "/versions/1/restore", null),
                409, "slug-taken");
        assertThat(problem.path("detail").asString()).contains("'old'");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/personas/" + id, null)).path("version").asInt())
                .isEqualTo(2);
    }

    @Test
    void deletionsAreAudited() {
        Session admin = accounts.newTenantAdmin();
        String id = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"gone\",\"name\":\"Gone\"}"))
                .path("id").asString();
        assertThat(accounts.send(admin, "DELETE", "/api/personas/" + id, null).statusCode()).isEqualTo(204);
        await().untilAsserted(() -> assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null))
                .path("entries").findValuesAsString("action")).contains("persona.deleted"));
    }

    @Test
    void theToolsAPersonaMayBeAllowedAreListedForAdmins() {
        Session admin = accounts.newTenantAdmin();
        JsonNode tools = HttpTestClient.json(accounts.send(admin, "GET", "/api/tools", null)).path("tools");
        assertThat(tools.findValuesAsString("name")).contains("search_knowledge");
        assertThat(tools.valueStream().filter(t -> t.path("name").asString().equals("search_knowledge")).findFirst()
                .orElseThrow().path("description").asString()).isNotBlank();
        assertProblem(accounts.send(accounts.newUser(admin, "MEMBER"), "GET", "/api/tools", null), 403, "forbidden");
    }

    @Test
    void usersComeAPageAtATimeByAddressAndCanBeFound() {
        Session admin = accounts.newTenantAdmin();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(accounts.newUser(admin, i % 2 == 0 ? "MEMBER" : "ADMIN").email());
        }
        List<String> everyone = new ArrayList<>(added);
        everyone.add(admin.email());

        List<String> seen = new ArrayList<>();
        String next = "/api/users?limit=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = accounts.send(admin, "GET", next, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode users = HttpTestClient.json(page);
            assertThat(users.size()).isLessThanOrEqualTo(2);
            users.forEach(user -> seen.add(user.path("email").asString()));
            next = nextPage(page).orElse(null);
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(everyone.stream().sorted(Comparator.comparing(
                email -> email.toLowerCase(Locale.ROOT))).toList());
        assertThat(pages).isEqualTo(4);

        String wanted = added.get(3);
        HttpResponse<String> found = accounts.send(admin, "GET", "/api/users?q=" + wanted.substring(0, 20).toUpperCase(), null);
        assertThat(HttpTestClient.json(found).findValuesAsString("email")).containsExactly(wanted);
        assertThat(nextPage(found)).isEmpty();

        // Without parameters, as before: every user, oldest first, with no Link.
        HttpResponse<String> all = accounts.send(admin, "GET", "/api/users", null);
        assertThat(HttpTestClient.json(all).findValuesAsString("email")).containsExactlyInAnyOrderElementsOf(everyone);
        assertThat(all.headers().firstValue("Link")).isEmpty();

        assertProblem(accounts.send(admin, "GET", "/api/users?cursor=%25%25", null), 400, "bad-request");
        assertProblem(accounts.send(admin, "GET", "/api/users?limit=0", null), 400, "validation");
        assertProblem(accounts.send(admin, "GET", "/api/users?limit=501", null), 400, "validation");
    }

    @Test
    void tenThousandUsersArePagedAndFoundInBoundedAnswers() {
        Session admin = accounts.newTenantAdmin();
        String domain = admin.tenantId() + ".bulk.test";
        // Written directly (hashing 10,000 passwords through the API would be the test's whole run time).
        SchemaOwner.update(jdbc, "insert into users (tenant_id, email, password_hash, role) select '" + admin.tenantId()
                + "', 'user-' || lpad(n::text, 5, '0') || '@" + domain + "', 'not-a-hash', 'MEMBER' "
                + "from generate_series(1, 10000) as n");

        HttpResponse<String> first = accounts.send(admin, "GET", "/api/users?limit=50", null);
        assertThat(HttpTestClient.json(first).size()).isEqualTo(50);
        HttpResponse<String> second = accounts.send(admin, "GET", nextPage(first).orElseThrow(), null);
        List<String> emails = HttpTestClient.json(second).findValuesAsString("email");
        assertThat(emails).hasSize(50).first().isEqualTo("user-00050@" + domain);
        assertThat(nextPage(second)).isPresent();

        HttpResponse<String> found = accounts.send(admin, "GET", "/api/users?q=USER-09999@", null);
        assertThat(HttpTestClient.json(found).findValuesAsString("email")).containsExactly("user-09999@" + domain);
    }

    private static Optional<String> nextPage(HttpResponse<String> response) {
        return response.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    /** A browser session of the user: the SB_SESSION cookie of a cookie sign-in. */
    private String sessionCookie(Session user) {
        HttpResponse<String> login = http.postJson("/api/auth/login",
                "{\"email\":\"" + user.email() + "\",\"password\":\"" + Accounts.PASSWORD + "\",\"cookie\":true}");
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SB_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }
}
