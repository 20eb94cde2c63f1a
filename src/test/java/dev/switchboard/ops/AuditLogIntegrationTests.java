package dev.switchboard.ops;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuditLogIntegrationTests extends ApiTestSupport {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    Session admin;

    @BeforeEach
    void tenant() {
        admin = accounts.newTenantAdmin();
    }

    @Test
    void recordsWhoDidWhatFromWhere() {
        http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\"wrong-password-123\"}");
        Session member = accounts.newUser(admin, "MEMBER");
        accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"role\":\"ADMIN\"}");
        String keyId = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"audited\"}")).path("id").asString();
        accounts.send(admin, "DELETE", "/api/keys/" + keyId, null);

        JsonNode entries = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null)).path("entries");
        List<String> actions = entries.findValuesAsString("action");
        assertThat(actions).contains("tenant.created", "auth.login", "auth.login_failed", "user.created", "user.updated",
                "key.created", "key.revoked");
        JsonNode failed = entries.valueStream().filter(e -> e.path("action").asString().equals("auth.login_failed"))
                .findFirst().orElseThrow();
        assertThat(failed.path("actorEmail").asString()).isEqualTo(admin.email());
        assertThat(failed.path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(failed.path("details").path("reason").asString()).isEqualTo("wrong password");
        JsonNode roleChange = entries.valueStream().filter(e -> e.path("action").asString().equals("user.updated"))
                .findFirst().orElseThrow();
        assertThat(roleChange.path("subjectId").asString()).isEqualTo(member.userId().toString());
        assertThat(roleChange.path("actorId").asString()).isEqualTo(admin.userId().toString());
        assertThat(roleChange.path("details").path("role").asString()).isEqualTo("MEMBER -> ADMIN");
        assertThat(entries.toString()).doesNotContain(Accounts.PASSWORD, "wrong-password-123");
    }

    @Test
    void pagesNewestFirst() {
        for (int i = 0; i < 3; i++) {
            accounts.send(admin, "POST", "/api/keys", "{\"name\":\"k" + i + "\"}");
        }
        JsonNode first = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit?limit=2", null));
        assertThat(first.path("entries")).hasSize(2);
        long next = first.path("nextBefore").asLong();
        JsonNode second = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit?limit=2&before=" + next, null));
        assertThat(second.path("entries").get(0).path("id").asLong()).isLessThan(next);
    }

    @Test
    void onlyAdminsReadOnlyTheirTenant() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "GET", "/api/audit", null), 403, "forbidden");
        Session other = accounts.newTenantAdmin();
        assertThat(accounts.send(other, "GET", "/api/audit", null).body()).doesNotContain(admin.email());
    }

    @Test
    void aBurstOfEventsIsWrittenInFull() throws Exception {
        double failedBefore = lost();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                threads.execute(() -> events.publishEvent(event("key.created", Map.of("n", n))));
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("key.created")).isEqualTo(2_000));
        assertThat(SchemaOwner.strings(jdbc, "select count(distinct details->>'n') from audit_events where tenant_id = '"
                + admin.tenantId() + "' and action = 'key.created'")).as("every event once").containsExactly("2000");
        assertThat(lost()).isEqualTo(failedBefore);
    }

    @Test
    void aPassingDatabaseFaultDelaysEventsButLosesNone() {
        withInsertFaults("40001", "nextval('test_audit_faults') <= 3", () -> {
            for (int i = 0; i < 5; i++) {
                events.publishEvent(event("key.revoked", Map.of("n", i)));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("key.revoked")).isEqualTo(5));
            assertThat(Long.parseLong(SchemaOwner.strings(jdbc, "select last_value from test_audit_faults").getFirst()))
                    .as("three attempts failed before the batch was written").isGreaterThan(3);
        });
    }

    @Test
    void aBadEventDoesNotTakeTheOthersWithIt() {
        double failedBefore = lost();
        withInsertFaults("23514", "new.details->>'poison' is not null", () -> {
            events.publishEvent(event("user.updated", Map.of("n", 1)));
            events.publishEvent(event("user.updated", Map.of("poison", true)));
            events.publishEvent(event("user.updated", Map.of("n", 2)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(count("user.updated")).isEqualTo(2);
                assertThat(lost()).isEqualTo(failedBefore + 1);
            });
        });
    }

    SecurityEventOccurred event(String action, Map<String, Object> details) {
        return new SecurityEventOccurred(action, admin.tenantId(), admin.userId(), admin.email(), "127.0.0.1", null, details,
                Instant.now());
    }

    long count(String action) {
        return Long.parseLong(SchemaOwner.strings(jdbc, "select count(*) from audit_events where tenant_id = '"
                + admin.tenantId() + "' and action = '" + action + "'").getFirst());
    }

    double lost() {
        return meters.get("switchboard.audit.events").tag("outcome", "failed").functionCounter().count();
    }

    /**
     * Makes inserts into the audit log fail with SQL state {@code state} while {@code condition} holds, for the duration
     * of {@code work}; a sequence counts the trigger's calls (it is not rolled back with the failed transaction).
     */
    void withInsertFaults(String state, String condition, Runnable work) {
        SchemaOwner.update(jdbc, "create sequence test_audit_faults; "
                + "create function test_audit_fault() returns trigger language plpgsql as $$ begin "
                + "if new.tenant_id = '" + admin.tenantId() + "' and " + condition + " then "
                + "raise exception 'injected audit write fault' using errcode = '" + state + "'; end if; return new; end $$; "
                + "alter function test_audit_fault() security definer; "
                + "create trigger test_audit_fault before insert on audit_events for each row execute function test_audit_fault()");
        try {
            work.run();
        }
        finally {
            SchemaOwner.update(jdbc, "drop trigger test_audit_fault on audit_events; drop function test_audit_fault(); "
                    + "drop sequence test_audit_faults");
        }
    }
}
