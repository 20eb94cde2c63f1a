package dev.switchboard.ui;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

/**
 * The admin console's operations pages over HTTP (who may open them) and the API they added: a provider's recent
 * calls, the audit log's filters (on an indexed log of 10,000 entries) and usage per persona.
 */
@IntegrationTest
class OperationsPagesIntegrationTests extends ApiTestSupport {

    static final List<String> PAGES = List.of("/admin/providers", "/admin/mcp", "/admin/databases", "/admin/databases/ask",
            "/admin/audit", "/admin/usage");
    /** Each page's title, and its entry in the console's navigation, from the console's frame. */
    static final Map<String, String> TITLES = Map.of("/admin/providers", "Providers", "/admin/mcp", "MCP servers",
            "/admin/databases", "Databases", "/admin/databases/ask", "Ask your database", "/admin/audit", "Audit log",
            "/admin/usage", "Usage");
    static final FakeLlmServer MODEL = FakeLlmServer.start();

    Session admin;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void admin() {
        admin = accounts.newTenantAdmin();
        MODEL.reset().always(Behaviour.reply("Hello from the fake model."));
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    static String cookie(Session session) {
        return "SB_SESSION=" + session.accessToken();
    }

    @Test
    void theOperationsPagesAreTheAdminsOnly() {
        Session member = accounts.newUser(admin, "MEMBER");
        for (String page : PAGES) {
            HttpResponse<String> shown = http.get(page, "Cookie", cookie(admin));
            assertThat(shown.statusCode()).as(page).isEqualTo(200);
            assertThat(shown.body()).as(page).contains("data-admin-page=", "aria-current=\"page\"").doesNotContain("style=\"");
            assertThat(shown.body()).as(page).contains("<title>" + TITLES.get(page) + " · Admin console · Switchboard</title>",
                    "<a href=\"" + page + "\" aria-current=\"page\">", "<main id=\"main\" tabindex=\"-1\" class=\"admin-page\">");
            HttpResponse<String> refused = http.get(page, "Cookie", cookie(member));
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("data-admin-page=");
            assertThat(http.get(page).statusCode()).as(page).isEqualTo(302);
        }
        // The pages are named ones: anything else under the console is not found.
        assertThat(http.get("/admin/settings", "Cookie", cookie(admin)).statusCode()).isEqualTo(404);
        assertThat(http.get("/admin/usage/ask", "Cookie", cookie(admin)).statusCode()).isEqualTo(404);
        assertThat(http.get("/admin", "Cookie", cookie(admin)).body()).contains("<title>Admin console · Switchboard</title>",
                "href=\"/admin/providers\"",
                "href=\"/admin/databases/ask\"", "href=\"/admin/audit\"", "href=\"/admin/usage\"", "href=\"/admin/mcp\"");
    }

    @Test
    void aProvidersRecentCallsGiveItsLatencyAndOutcome() {
        String body = "{\"id\":\"quick\",\"kind\":\"openai\",\"baseUrl\":\"" + MODEL.baseUrl() + "/v1\",\"apiKey\":\"k\",\"maxRetries\":0}";
        assertThat(accounts.send(admin, "POST", "/api/providers", body).statusCode()).isEqualTo(201);
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/providers/quick/calls", null)).path("calls").size()).isZero();

        HttpResponse<String> tested = accounts.send(admin, "POST", "/api/providers/test", "{\"prompt\":\"Hi\",\"chain\":\"quick:m1\"}");
        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        MODEL.reset().always(Behaviour.serverError());
        accounts.send(admin, "POST", "/api/providers/test", "{\"prompt\":\"Hi\",\"chain\":\"quick:m2\"}");

        JsonNode calls = HttpTestClient.json(accounts.send(admin, "GET", "/api/providers/quick/calls", null));
        assertThat(calls.path("provider").asString()).isEqualTo("quick");
        assertThat(calls.path("calls").size()).isEqualTo(2);
        JsonNode first = calls.path("calls").get(0);
        assertThat(first.path("model").asString()).isEqualTo("m1");
        assertThat(first.path("outcome").asString()).isEqualTo("answered");
        assertThat(first.path("millis").asLong()).isNotNegative();
        assertThat(Instant.parse(first.path("at").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(calls.path("calls").get(1).path("outcome").asString()).isEqualTo("server_error");

        // Another tenant's admin sees neither the provider nor its calls; members are refused.
        assertProblem(accounts.send(accounts.newTenantAdmin(), "GET", "/api/providers/quick/calls", null), 404, "not-found");
        assertProblem(accounts.send(accounts.newUser(admin, "MEMBER"), "GET", "/api/providers/quick/calls", null), 403, "forbidden");
        // A changed provider starts afresh.
        accounts.send(admin, "PUT", "/api/providers/quick", "{\"kind\":\"openai\",\"baseUrl\":\"" + MODEL.baseUrl() + "/v1\"}");
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/providers/quick/calls", null)).path("calls").size()).isZero();
    }

    @Test
    void theAuditLogFiltersByActionUserAndTimeAndPagesWithTheFilters() {
        Instant start = Instant.now();
        Session member = accounts.newUser(admin, "MEMBER");
        for (int i = 0; i < 3; i++) {
            accounts.login(member.email(), dev.switchboard.support.Accounts.PASSWORD);
        }
        accounts.login(admin.email(), dev.switchboard.support.Accounts.PASSWORD);

        JsonNode byMember = audit("action=auth.login&actor=" + encode(member.email().toUpperCase()) + "&limit=2");
        assertThat(byMember.path("entries").size()).isEqualTo(2);
        assertThat(byMember.path("entries").findValuesAsString("actorEmail")).containsOnly(member.email());
        assertThat(byMember.path("entries").findValuesAsString("action")).containsOnly("auth.login");
        long next = byMember.path("nextBefore").asLong();
        JsonNode older = audit("action=auth.login&actor=" + encode(member.email()) + "&limit=2&before=" + next);
        // Four sign-ins of the member: the first (Accounts.newUser) and the three above
        assertThat(older.path("entries").size()).isEqualTo(2);
        assertThat(older.path("entries").findValuesAsString("actorEmail")).containsOnly(member.email());
        assertThat(older.path("entries").get(0).path("id").asLong()).isLessThan(next);
        assertThat(audit("action=auth.login&actor=" + encode(member.email()) + "&limit=2&before="
                + older.path("nextBefore").asLong()).path("entries").size()).isZero();

        assertThat(audit("action=user.created").path("entries").findValuesAsString("action")).containsOnly("user.created").isNotEmpty();
        assertThat(audit("from=" + start.plus(1, ChronoUnit.HOURS)).path("entries").size()).isZero();
        JsonNode before = audit("to=" + start).path("entries");
        assertThat(before.findValuesAsString("occurredAt")).isNotEmpty().allSatisfy(at -> assertThat(Instant.parse(at)).isBefore(start));
        assertThat(before.findValuesAsString("actorEmail")).doesNotContain(member.email());
        JsonNode since = audit("from=" + start + "&to=" + Instant.now().plusSeconds(5)).path("entries");
        assertThat(since.findValuesAsString("occurredAt")).allSatisfy(at -> assertThat(Instant.parse(at)).isAfterOrEqualTo(start));
        // The member's creation and four sign-ins, and the admin's sign-in
        assertThat(since.size()).isGreaterThanOrEqualTo(6);
        assertProblem(accounts.send(admin, "GET", "/api/audit?from=" + start + "&to=" + start, null), 400, "bad-request");
        assertProblem(accounts.send(admin, "GET", "/api/audit?from=yesterday", null), 400, "bad-request");
    }

    @Test
    void aTenThousandEntryLogPagesThroughTheFiltersIndexes() {
        SchemaOwner.update(jdbc, "insert into audit_events (tenant_id, occurred_at, action, actor_email) select '"
                + admin.tenantId() + "', now() - i * interval '1 second', case when i % 100 = 0 then 'sql.asked' else "
                + "'auth.login' end, 'bulk' || (i % 7) || '@example.test' from generate_series(1, 10000) i; analyze audit_events");

        JsonNode asked = audit("action=sql.asked&limit=500");
        assertThat(asked.path("entries").size()).isEqualTo(100);
        assertThat(asked.path("nextBefore").isMissingNode()).isTrue();

        List<Long> ids = new ArrayList<>();
        String before = "";
        do {
            JsonNode page = audit("actor=bulk3@example.test&limit=500" + before);
            page.path("entries").forEach(entry -> ids.add(entry.path("id").asLong()));
            before = page.has("nextBefore") ? "&before=" + page.path("nextBefore").asLong() : null;
        } while (before != null);
        // i = 3, 10, …, 9997
        assertThat(ids).hasSize(1429).doesNotHaveDuplicates().isSortedAccordingTo(Comparator.reverseOrder());

        String tenant = "tenant_id = '" + admin.tenantId() + "'";
        assertThat(plan("select * from audit_events where " + tenant + " and action = 'sql.asked' order by id desc limit 50"))
                .contains("audit_events_tenant_action_idx");
        // The actor filter: its index, or the newest-first primary key when the planner prices that a little lower (a near
        // tie that depends on what other tests left in the table) — either way a page reads about the page's rows, never
        // the tenant's 10,000.
        String actorPlan = plan("(analyze, costs off, timing off) select * from audit_events where " + tenant
                + " and lower(actor_email) = lower('bulk3@example.test') order by id desc limit 50");
        assertThat(actorPlan).doesNotContain("Seq Scan", "Sort");
        assertThat(Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(actorPlan).results()
                .mapToLong(match -> Long.parseLong(match.group(1))).sum()).as(actorPlan).isLessThan(1_000);
    }

    String plan(String query) {
        return String.join("\n", SchemaOwner.strings(jdbc, "explain " + query));
    }

    @Test
    void usageIsReportedPerPersonaAsChatTurns() {
        String personaId = HttpTestClient.json(accounts.send(admin, "POST", "/api/personas",
                "{\"slug\":\"counter\",\"name\":\"Counter\",\"instructions\":\"Answer briefly.\"}")).path("id").asString();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> turn = accounts.send(admin, "POST", "/api/chat", "{\"agent\":\"counter\",\"message\":\"Hello?\"}");
            assertThat(turn.statusCode()).as(turn.body()).isEqualTo(200);
        }
        Awaitility.await().untilAsserted(() -> {
            JsonNode report = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=persona", null));
            assertThat(report.path("groupBy").asString()).isEqualTo("persona");
            assertThat(report.path("rows").size()).isEqualTo(1);
            JsonNode row = report.path("rows").get(0);
            assertThat(row.path("group").asString()).isEqualTo(personaId);
            assertThat(row.path("requests").asLong()).isEqualTo(2);
            assertThat(row.path("errors").asLong()).isZero();
        });
        // Another tenant's report is its own.
        assertThat(HttpTestClient.json(accounts.send(accounts.newTenantAdmin(), "GET", "/api/usage?groupBy=persona", null))
                .path("rows").size()).isZero();
        assertProblem(accounts.send(admin, "GET", "/api/usage?groupBy=model", null), 400, "bad-request");
    }

    JsonNode audit(String query) {
        HttpResponse<String> response = accounts.send(admin, "GET", "/api/audit?" + query, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return HttpTestClient.json(response);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
