package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AccessLogIntegrationTests extends ApiTestSupport {

    private static final String LOGGER = "switchboard.access";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anAuthenticatedRequestIsLoggedWithItsTenantAndUserButNoSecret(CapturedOutput output) {
        Accounts.Session admin = accounts.newTenantAdmin();
        HttpResponse<String> response = http.get("/api/auth/me?access_token=abc123supersecret&limit=5",
                "Authorization", admin.bearer(), "X-Request-Id", "access-me-1", "User-Agent", "access-log-test/1.0");
        assertThat(response.statusCode()).isEqualTo(200);

        String line = accessLine(output, "access-me-1");
        assertThat(line).contains("GET /api/auth/me?access_token=[REDACTED]&limit=[REDACTED] 200 ",
                "tenant=" + admin.tenantId(), "user=" + admin.userId(), "client=127.0.0.1",
                "agent=\"access-log-test/1.0\"");
        assertThat(line).matches(".* 200 \\d+ ms \\d+ B .*");
        assertThat(line).doesNotContain("abc123supersecret", admin.email(), admin.accessToken());
        assertThat(bytes(line)).isEqualTo(response.body().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aRequestWithAnApiKeyIsLoggedWithTheKeysIdNotTheKey(CapturedOutput output) {
        Accounts.Session admin = accounts.newTenantAdmin();
        JsonNode key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"access-log\"}"));
        String secret = key.path("key").asString();
        assertThat(http.get("/api/auth/me", "X-API-Key", secret, "X-Request-Id", "access-key-1").statusCode()).isEqualTo(200);

        assertThat(accessLine(output, "access-key-1")).contains("tenant=" + admin.tenantId(), "user=" + admin.userId(),
                "key=" + key.path("id").asString()).doesNotContain(secret);
    }

    @Test
    void anAnonymousRefusalIsLoggedWithoutTenant(CapturedOutput output) {
        http.get("/api/auth/me", "X-Request-Id", "access-anon-1");
        String line = accessLine(output, "access-anon-1");
        assertThat(line).contains("GET /api/auth/me 401 ").doesNotContain("tenant=", "user=");
    }

    @Test
    void theClientAddressIsTheForwardedOneFromATrustedProxy(CapturedOutput output) {
        http.get("/test/probe/log?message=x", "X-Forwarded-For", "203.0.113.7", "X-Request-Id", "access-fwd-1");
        assertThat(accessLine(output, "access-fwd-1")).contains("client=203.0.113.7");
    }

    @Test
    void aStreamedResponseIsLoggedWhenItEndsWithItsRealDuration(CapturedOutput output) {
        HttpResponse<String> response = http.get("/test/probe/stream?millis=600", "Accept", "text/event-stream",
                "X-Request-Id", "access-sse-1");
        assertThat(response.body()).contains("finished");

        String line = accessLine(output, "access-sse-1");
        assertThat(line).contains("GET /test/probe/stream?millis=[REDACTED] 200 ");
        assertThat(millis(line)).isBetween(600L, 30_000L);
        assertThat(bytes(line)).isPositive();
    }

    @Test
    void probesAreNotLogged(CapturedOutput output) {
        http.get("/health", "X-Request-Id", "access-probe-1");
        http.get("/health/ready", "X-Request-Id", "access-probe-2");
        http.get("/metrics", "X-Request-Id", "access-probe-3");
        // Lines are written in completion order: once the later request's line is there, the probes' would be too.
        http.get("/test/probe/log?message=after", "X-Request-Id", "access-after-probes");
        accessLine(output, "access-after-probes");
        assertThat(output.getOut().lines().filter(line -> line.contains(LOGGER)))
                .noneMatch(line -> line.contains("access-probe-"));
    }

    @Test
    void inJsonTheFieldsCarryTheirEcsNames() {
        Accounts.Session admin = accounts.newTenantAdmin();
        try (JsonAccessLog json = new JsonAccessLog()) {
            http.get("/api/auth/me?code=oauth-code-123", "Authorization", admin.bearer(), "X-Request-Id", "access-json-1");
            JsonNode line = JSON.readTree(await().atMost(Duration.ofSeconds(10))
                    .until(() -> json.lines.stream().filter(l -> l.contains("access-json-1")).findFirst().orElse(null),
                            l -> l != null));
            assertThat(line.path("log").path("logger").asString()).isEqualTo(LOGGER);
            assertThat(line.path("http").path("request").path("method").asString()).isEqualTo("GET");
            assertThat(line.path("url").path("path").asString()).isEqualTo("/api/auth/me");
            assertThat(line.path("url").path("query").asString()).isEqualTo("code=[REDACTED]");
            assertThat(line.path("http").path("response").path("status_code").asInt()).isEqualTo(200);
            assertThat(line.path("http").path("response").path("body").path("bytes").asLong()).isPositive();
            assertThat(line.path("event").path("duration").asLong()).isPositive();
            assertThat(line.path("client").path("address").asString()).isEqualTo("127.0.0.1");
            assertThat(line.path("requestId").asString()).isEqualTo("access-json-1");
            assertThat(line.path("tenantId").asString()).isEqualTo(admin.tenantId().toString());
            assertThat(line.path("userId").asString()).isEqualTo(admin.userId().toString());
            assertThat(line.toString()).doesNotContain("oauth-code-123", admin.email());
        }
    }

    /** The access logger's events as the {@code prod} profile writes them: ECS JSON with the redaction customizer. */
    private static final class JsonAccessLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

        final List<String> lines = new CopyOnWriteArrayList<>();
        private final StructuredLogEncoder encoder = new StructuredLogEncoder();
        private final Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);

        JsonAccessLog() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            encoder.setContext(context);
            encoder.setFormat("ecs");
            encoder.start();
            setContext(context);
            start();
            logger.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            logger.detachAppender(this);
            stop();
        }
    }

    /**
     * The access line's text. The console is plain text, or ECS JSON when a test of the {@code prod} profile ran earlier
     * in this JVM (the logging system is the JVM's): then the line's {@code message}.
     */
    private static String accessLine(CapturedOutput output, String requestId) {
        String line = await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().lines()
                .filter(candidate -> candidate.contains(LOGGER) && candidate.contains(requestId)).findFirst().orElse(null),
                candidate -> candidate != null);
        return line.startsWith("{") ? JSON.readTree(line).path("message").asString() : line;
    }

    private static long millis(String line) {
        return number(line, "(\\d+) ms ");
    }

    private static long bytes(String line) {
        return number(line, " (\\d+) B");
    }

    private static long number(String line, String pattern) {
        Matcher matcher = Pattern.compile(pattern).matcher(line);
        assertThat(matcher.find()).as(line).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
