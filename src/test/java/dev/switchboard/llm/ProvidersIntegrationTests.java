package dev.switchboard.llm;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.internal.TargetStates;
import dev.switchboard.llm.internal.provider.ProviderDirectory;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import tools.jackson.databind.JsonNode;

/**
 * Providers over HTTP: configured ones answering through the chain (with failover users can see), runtime
 * ones registered by an administrator with an encrypted key, their health, and the test endpoint.
 */
@IntegrationTest
class ProvidersIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PRIMARY = FakeLlmServer.start();
    static final FakeLlmServer BACKUP = FakeLlmServer.start();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TargetStates states;

    @Autowired
    ProviderDirectory directory;

    Session admin;

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.primary.kind", () -> "openai");
        registry.add("switchboard.llm.providers.primary.base-url", () -> PRIMARY.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.primary.api-key", () -> "configured-primary-key");
        registry.add("switchboard.llm.providers.primary.max-retries", () -> "0");
        registry.add("switchboard.llm.providers.backup.kind", () -> "anthropic");
        registry.add("switchboard.llm.providers.backup.base-url", () -> BACKUP.baseUrl());
        registry.add("switchboard.llm.providers.backup.api-key", () -> "configured-backup-key");
        registry.add("switchboard.llm.providers.backup.models[0].name", () -> "claude-test");
        registry.add("switchboard.llm.providers.backup.models[0].context-length", () -> "200000");
        registry.add("switchboard.llm.providers.backup.models[0].tools", () -> "true");
        registry.add("switchboard.llm.default-chain", () -> "primary:gpt-test,backup:claude-test");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "1000");
    }

    @AfterAll
    static void stop() {
        PRIMARY.close();
        BACKUP.close();
    }

    @BeforeEach
    void reset() {
        PRIMARY.reset().always(Behaviour.reply("Primary answers."));
        BACKUP.reset().always(Behaviour.reply("Backup answers."));
        admin = accounts.newTenantAdmin();
    }

    HttpResponse<String> test(Session session, String body) {
        return accounts.send(session, "POST", "/api/providers/test", body);
    }

    @Test
    void theTestEndpointRunsTheDefaultChain() {
        HttpResponse<String> response = test(admin, "{\"prompt\":\"Say hello\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = HttpTestClient.json(response);
        assertThat(result.path("content").asString()).isEqualTo("Primary answers.");
        assertThat(result.path("target").asString()).isEqualTo("primary:gpt-test");
        assertThat(result.path("failover").asBoolean()).isFalse();
        assertThat(result.path("attempts").get(0).path("target").asString()).isEqualTo("primary:gpt-test");
        assertThat(result.path("attempts").get(0).path("outcome").asString()).isEqualTo("answered");
        assertThat(result.path("usage").path("outputTokens").asLong()).isEqualTo(2);
        assertThat(result.path("chain").asString()).isEqualTo("primary:gpt-test,backup:claude-test,local:extractive");
        assertThat(PRIMARY.received().getLast().headers().get("Authorization")).containsExactly("Bearer configured-primary-key");
    }

    @Test
    void failoverIsVisibleAndNoProviderTextLeaks() {
        PRIMARY.always(Behaviour.serverError());
        JsonNode result = HttpTestClient.json(test(admin, "{\"prompt\":\"Say hello\"}"));
        assertThat(result.path("content").asString()).isEqualTo("Backup answers.");
        assertThat(result.path("target").asString()).isEqualTo("backup:claude-test");
        assertThat(result.path("failover").asBoolean()).isTrue();
        assertThat(result.path("attempts").findValuesAsString("outcome")).containsExactly("server_error", "answered");
        assertThat(result.toString()).doesNotContain("shard-7", "internal detail");

        BACKUP.always(Behaviour.rateLimited(60));
        HttpResponse<String> failed = test(admin, "{\"prompt\":\"Say hello\"}");
        assertProblem(failed, 502, "llm-unavailable");
        assertThat(failed.body()).contains("server_error", "rate_limited").doesNotContain("shard-7", "internal detail",
                "configured-primary-key");
        assertThat(HttpTestClient.json(failed).path("attempts").findValuesAsString("outcome"))
                .containsExactly("server_error", "rate_limited");

        JsonNode health = HttpTestClient.json(accounts.send(admin, "GET", "/api/providers/health", null));
        JsonNode primary = health.path("providers").valueStream().filter(p -> p.path("id").asString().equals("primary"))
                .findFirst().orElseThrow();
        assertThat(primary.path("state").asString()).isEqualTo("closed");
        assertThat(primary.path("lastErrorKind").asString()).isEqualTo("server_error");
        assertThat(primary.path("targets").path("gpt-test").asString()).isEqualTo("closed");
        assertThat(health.toString()).doesNotContain("shard-7", "configured-primary-key", "configured-backup-key");

        String metrics = http.get("/metrics", "Authorization", "Bearer test-metrics-token-0123456789").body();
        assertThat(metrics).contains(
                "switchboard_llm_failovers_total{application=\"switchboard\",from=\"primary:gpt-test\",to=\"backup:claude-test\"}")
                .contains(
                        "switchboard_llm_requests_total{application=\"switchboard\",outcome=\"server_error\",target=\"primary:gpt-test\"}")
                .contains("switchboard_llm_tokens_total")
                .contains("resilience4j_circuitbreaker_state");
    }

    @Test
    void aChainCanBeGivenAndIsChecked() {
        JsonNode result = HttpTestClient.json(test(admin, "{\"prompt\":\"Say hello\",\"chain\":\"backup:claude-test\"}"));
        assertThat(result.path("target").asString()).isEqualTo("backup:claude-test");
        assertProblem(test(admin, "{\"prompt\":\"Say hello\",\"chain\":\"no-model-here\"}"), 400, "validation");
        assertProblem(test(admin, "{\"prompt\":\"\"}"), 400, "validation");

        JsonNode local = HttpTestClient.json(test(admin, "{\"prompt\":\"Say hello\",\"chain\":\"local:extractive\"}"));
        assertThat(local.path("target").asString()).isEqualTo("local:extractive");
        assertThat(local.path("content").asString()).contains("no language model");
    }

    @Test
    void tokensAreRecordedAsUsageOfTheCaller() {
        test(admin, "{\"prompt\":\"Say hello\"}");
        JsonNode usage = HttpTestClient.json(accounts.send(admin, "GET", "/api/usage?groupBy=user", null));
        JsonNode mine = usage.path("rows").valueStream().filter(row -> row.path("group").asString().equals(admin.userId().toString()))
                .findFirst().orElseThrow();
        assertThat(mine.path("tokensOut").asLong()).isEqualTo(2);
        assertThat(mine.path("tokensIn").asLong()).isPositive();
    }

    @Test
    void membersMayNotTouchProviders() {
        Session member = accounts.newUser(admin, "MEMBER");
        assertProblem(accounts.send(member, "GET", "/api/providers", null), 403, "forbidden");
        assertProblem(accounts.send(member, "GET", "/api/providers/health", null), 403, "forbidden");
        assertProblem(test(member, "{\"prompt\":\"Say hello\"}"), 403, "forbidden");
        assertProblem(accounts.send(member, "POST", "/api/providers", "{\"id\":\"x\",\"kind\":\"ollama\"}"), 403, "forbidden");
    }

    @Test
    void runtimeProvidersAreEncryptedPerTenantAndNeverShowTheirKey() {
        String body = "{\"id\":\"mine\",\"kind\":\"openai\",\"baseUrl\":\"" + BACKUP.baseUrl()
                + "/v1\",\"apiKey\":\"sk-runtime-secret-123\","
                + "\"models\":[{\"name\":\"small\",\"contextLength\":8000,\"tools\":false}],\"firstTokenTimeout\":\"PT10S\"}";
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/providers", body);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("sk-runtime-secret-123");
        JsonNode view = HttpTestClient.json(created);
        assertThat(view.path("apiKeySet").asBoolean()).isTrue();
        assertThat(view.path("source").asString()).isEqualTo("runtime");
        assertThat(view.path("firstTokenTimeout").asString()).isEqualTo("PT10S");

        String list = accounts.send(admin, "GET", "/api/providers", null).body();
        assertThat(list).contains("\"mine\"", "\"primary\"", "\"backup\"").doesNotContain("sk-runtime-secret-123",
                "configured-primary-key");

        byte[] stored = SchemaOwner.query(jdbc, "select api_key_sealed from llm_providers where tenant_id = '" + admin.tenantId() + "'",
                rows -> {
                    rows.next();
                    return rows.getBytes(1);
                });
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("sk-runtime-secret");

        BACKUP.always(Behaviour.reply("Runtime provider answers."));
        JsonNode result = HttpTestClient.json(test(admin, "{\"prompt\":\"Hi\",\"chain\":\"mine:small\"}"));
        assertThat(result.path("content").asString()).isEqualTo("Runtime provider answers.");
        assertThat(BACKUP.received().getLast().headers().get("Authorization")).containsExactly("Bearer sk-runtime-secret-123");

        Session other = accounts.newTenantAdmin();
        assertProblem(accounts.send(other, "GET", "/api/providers/mine", null), 404, "not-found");
        assertProblem(test(other, "{\"prompt\":\"Hi\",\"chain\":\"mine:small\"}"), 503, "llm-unavailable");
        assertThat(accounts.send(other, "GET", "/api/providers", null).body()).doesNotContain("\"mine\"");

        HttpResponse<String> updated = accounts.send(admin, "PUT", "/api/providers/mine", "{\"kind\":\"openai\",\"baseUrl\":\""
                + PRIMARY.baseUrl() + "/v1\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(updated).path("apiKeySet").asBoolean()).as("the key is kept").isTrue();
        PRIMARY.always(Behaviour.reply("Moved."));
        assertThat(HttpTestClient.json(test(admin, "{\"prompt\":\"Hi\",\"chain\":\"mine:small\"}")).path("content").asString())
                .isEqualTo("Moved.");
        assertThat(PRIMARY.received().getLast().headers().get("Authorization")).containsExactly("Bearer sk-runtime-secret-123");

        assertThat(accounts.send(admin, "DELETE", "/api/providers/mine", null).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = test(admin, "{\"prompt\":\"Hi\",\"chain\":\"mine:small\"}");
        assertProblem(gone, 503, "llm-unavailable");
        assertThat(gone.body()).contains("unknown_provider");

        JsonNode audit = HttpTestClient.json(accounts.send(admin, "GET", "/api/audit", null));
        assertThat(audit.path("entries").findValuesAsString("action")).contains("provider.created", "provider.updated", "provider.deleted");
    }

    @Test
    void badRegistrationsAreRefusedClearly() {
        assertProblem(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"primary\",\"kind\":\"ollama\"}"), 409, "provider-exists");
        assertProblem(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"Bad Id\",\"kind\":\"ollama\"}"), 400, "validation");
        assertProblem(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"meta\",\"kind\":\"openai\","
                + "\"baseUrl\":\"http://169.254.169.254/latest\",\"apiKey\":\"k\"}"), 422, "destination-refused");
        assertProblem(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"nokind\"}"), 400, "validation");
        assertThat(assertProblem(accounts.send(admin, "POST", "/api/providers", "{\"id\":\"k\",\"kind\":\"martian\"}"), 400,
                "malformed-body")
                .path("detail").asString()).contains("kind");
        assertProblem(accounts.send(admin, "PUT", "/api/providers/primary", "{\"kind\":\"ollama\"}"), 409, "provider-configured");
        assertProblem(accounts.send(admin, "DELETE", "/api/providers/nothing", null), 404, "not-found");
        assertThat(accounts.send(admin, "GET", "/api/providers", null).body()).doesNotContain("\"meta\"", "\"nokind\"");
    }

    @Test
    void routingIsPartOfReadinessAndAnOpenBreakerDegradesButKeepsTheReplicaReady() {
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(HttpTestClient.json(ready).path("components").path("llmRouting").path("status").asString()).isEqualTo("UP");

        CircuitBreaker breaker = states.breaker(directory.find("primary").orElseThrow(), Target.parse("primary:gpt-test"));
        breaker.transitionToOpenState();
        try {
            HttpResponse<String> degraded = http.get("/health/ready");
            assertThat(degraded.statusCode()).as("the chain still answers").isEqualTo(200);
            assertThat(HttpTestClient.json(degraded).path("status").asString()).isEqualTo("DEGRADED");
            assertThat(HttpTestClient.json(degraded).path("components").path("llmRouting").path("status").asString())
                    .isEqualTo("DEGRADED");
            JsonNode result = HttpTestClient.json(test(admin, "{\"prompt\":\"Say hello\"}"));
            assertThat(result.path("attempts").findValuesAsString("outcome")).containsExactly("breaker_open", "answered");
            assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/providers/health", null)).path("providers")
                    .valueStream().filter(p -> p.path("id").asString().equals("primary")).findFirst().orElseThrow()
                    .path("state").asString()).isEqualTo("open");
        }
        finally {
            breaker.transitionToClosedState();
        }
    }
}
