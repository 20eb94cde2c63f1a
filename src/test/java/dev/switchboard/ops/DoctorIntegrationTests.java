package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code doctor} command's entry point run against the running application (plain HTTP on 127.0.0.1, a fake
 * OpenAI-compatible provider behind the chat round trip), with an admin's key, a member's key and none, and against
 * a port where nothing listens.
 */
@IntegrationTest
class DoctorIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    /** Small enough that the rate-limit check meets it in a few dozen requests. */
    static final int REQUESTS_PER_MINUTE = 40;

    Session admin;
    Session member;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "k");
        registry.add("switchboard.llm.default-chain", () -> "fake:gpt-doctor");
        registry.add("switchboard.metering.tiers.free.requests-per-minute", () -> String.valueOf(REQUESTS_PER_MINUTE));
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("The deployment answers."));
        admin = accounts.newTenantAdmin();
        member = accounts.newUser(admin, "MEMBER");
        HttpResponse<String> persona = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"helpdesk\",\"name\":\"Helpdesk\","
                + "\"instructions\":\"You answer briefly.\",\"membersAllowed\":true}");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
    }

    @Test
    void anAdminsKeyPassesEveryCheckItCanMake() {
        Run run = doctor("--url", base(), "--api-key", key(admin, "admin", "chat", "mcp"));

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("CHECK", "RESULT", "REASON").contains("0 failed");
        assertThat(run.row("liveness")).contains("PASS", "/health/live answered 200");
        assertThat(run.row("readiness")).contains("PASS", "/health/ready answered 200");
        assertThat(run.row("401 without credentials")).contains("PASS", "401 problem+json");
        assertThat(run.row("security headers")).contains("PASS");
        assertThat(run.row("CORS refuses unknown origin")).contains("PASS", "403");
        assertThat(run.row("HTTPS redirect")).contains("SKIP", "plain http");
        assertThat(run.row("HSTS")).contains("SKIP", "plain http");
        assertThat(run.row("OpenAPI reachable")).contains("PASS", "OpenAPI 3.");
        assertThat(run.row("metrics not public")).contains("SKIP", "loopback");
        assertThat(run.row("403 for non-admin")).contains("SKIP", "acts as admin");
        assertThat(run.row("chat round trip")).contains("PASS", "agent helpdesk answered through fake:gpt-doctor");
        assertThat(run.row("MCP tools listed")).contains("PASS", "ask_agent");
        assertThat(run.row("provider health")).contains("PASS", "fake closed");
        assertThat(run.row("429 after the rate limit")).contains("SKIP", "--include-rate-limit");
        assertThat(PROVIDER.received()).as("the chat round trip reached the provider").isNotEmpty();
    }

    @Test
    void aMembersKeyChecksTheAdminRefusalAndTheRateLimit() {
        Run run = doctor("--url", base(), "--api-key", key(member, "chat", "mcp"), "--include-rate-limit");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.row("403 for non-admin")).contains("PASS", "403");
        assertThat(run.row("chat round trip")).contains("PASS");
        assertThat(run.row("MCP tools listed")).contains("PASS");
        assertThat(run.row("provider health")).contains("SKIP", "admins only");
        assertThat(run.row("429 after the rate limit")).contains("PASS", "RateLimit-Limit " + REQUESTS_PER_MINUTE, "Retry-After");
    }

    @Test
    void withoutAKeyTheCallersChecksAreSkippedWithTheReasonAndJsonIsForMachines() {
        Run run = doctor("--url", base(), "--json");

        assertThat(run.exitCode()).as(run.out()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(run.out());
        assertThat(report.path("url").asString()).isEqualTo(base());
        assertThat(report.path("ok").asBoolean()).isTrue();
        List<JsonNode> checks = report.path("checks").valueStream().toList();
        assertThat(checks).hasSize(14).allSatisfy(check -> assertThat(check.path("reason").asString()).isNotBlank());
        assertThat(checks).filteredOn(check -> check.path("check").asString().equals("chat round trip")).singleElement()
                .satisfies(check -> {
                    assertThat(check.path("result").asString()).isEqualTo("SKIP");
                    assertThat(check.path("reason").asString()).contains("--api-key");
                });
    }

    @Test
    void whereNothingListensEveryCheckFailsWithTheReason() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run run = doctor("--url", "http://127.0.0.1:" + port, "--api-key", "sb_not_a_key", "--include-rate-limit");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("0 passed, 12 failed, 2 skipped");
        run.rows().stream().filter(row -> !row.startsWith("HTTPS redirect") && !row.startsWith("HSTS"))
                .forEach(row -> assertThat(row).contains("FAIL", "http://127.0.0.1:" + port, "cannot connect"));
    }

    @Test
    void aWrongCommandLineSaysHowToCallTheDoctor() {
        Run missing = doctor("--api-key", "k");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--url is missing", "usage: doctor --url");
        Run notHttp = doctor("--url", "ftp://example.com");
        assertThat(notHttp.exitCode()).isEqualTo(2);
        assertThat(notHttp.err()).contains("http or https URL");
    }

    /** From an address of this machine that is not loopback, the metrics guard answers 404, as to anyone outside. */
    @Test
    void fromOutsideLoopbackTheMetricsAreNotPublic() throws SocketException {
        Optional<String> address = siteAddress();
        assumeTrue(address.isPresent(), "this machine has no non-loopback IPv4 address");
        Run run = doctor("--url", "http://" + address.get() + ":" + port);

        assertThat(run.row("metrics not public")).contains("PASS", "/metrics answered 404");
        assertThat(run.exitCode()).as(run.out()).isZero();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String key(Session owner, String... scopes) {
        HttpResponse<String> created = accounts.send(owner, "POST", "/api/keys", "{\"name\":\"doctor\",\"scopes\":[\""
                + String.join("\",\"", scopes) + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("key").asString();
    }

    static Optional<String> siteAddress() throws SocketException {
        List<String> found = new ArrayList<>();
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp() && !network.isLoopback()) {
                network.inetAddresses().filter(Inet4Address.class::isInstance).filter(a -> !a.isLinkLocalAddress())
                        .map(InetAddress::getHostAddress).forEach(found::add);
            }
        }
        return found.stream().findFirst();
    }

    static Run doctor(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DeploymentDoctor.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Run(int exitCode, String out, String err) {

        /** The table's rows, after the header line. */
        List<String> rows() {
            List<String> lines = out.lines().toList();
            int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("CHECK")).findFirst().orElseThrow());
            return lines.subList(header + 1, lines.size()).stream().takeWhile(line -> !line.isBlank()).toList();
        }

        String row(String check) {
            return rows().stream().filter(line -> line.startsWith(check + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row " + check + " in\n" + out));
        }
    }
}
