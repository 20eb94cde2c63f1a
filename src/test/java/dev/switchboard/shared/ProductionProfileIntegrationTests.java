package dev.switchboard.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.Switchboard;
import dev.switchboard.shared.internal.config.ProductionSettingsException;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.ProbeController;
import dev.switchboard.support.TestDatabaseInitializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The prod profile: refuses development defaults before anything starts, and with proper settings runs
 * against the configured PostgreSQL server with JSON logs that carry the request id and mask secrets.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionProfileIntegrationTests {

    /** The caller's trace (W3C {@code traceparent}), which the JSON log line names though nothing is exported. */
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void refusesToStartOnDevelopmentDefaults(CapturedOutput output) {
        Path dataDir = TestDatabaseInitializer.freshDataDirectory();
        assertThatThrownBy(() -> new SpringApplicationBuilder(Switchboard.class).profiles("prod")
                .run("--server.port=0", "--switchboard.data-dir=" + dataDir, "--spring.datasource.url="))
                .isInstanceOf(ProductionSettingsException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("SPRING_DATASOURCE_URL")
                .contains("SWITCHBOARD_SECURITY_JWT_SECRET")
                .contains("SWITCHBOARD_SECURITY_ENCRYPTION_KEY");
        assertThat(dataDir.resolve("postgres")).as("nothing was started").doesNotExist();
    }

    @Test
    void refusesSecretsInPackagedFilesAndPlainHttpWithoutAReason(CapturedOutput output) {
        Path dataDir = TestDatabaseInitializer.freshDataDirectory();
        assertThatThrownBy(() -> new SpringApplicationBuilder(Switchboard.class).profiles("prod")
                .run("--server.port=0", "--switchboard.data-dir=" + dataDir, "--spring.datasource.url=jdbc:postgresql://db/sb",
                        "--switchboard.security.jwt-secret=production-like-secret-0123456789abcdef",
                        "--switchboard.security.encryption-key=cHJvZHVjdGlvbi1saWtlLWtleS0wMTIzNDU2Nzg5YWI=",
                        "--spring.config.additional-location=classpath:/packaged-secrets/leaky.yml"))
                .isInstanceOf(ProductionSettingsException.class);
        assertThat(output.getOut() + output.getErr())
                .contains("switchboard.llm.providers.primary.api-key is set in a configuration file packaged on the class path")
                .contains("SWITCHBOARD_LLM_PROVIDERS_PRIMARY_APIKEY")
                .contains("switchboard.knowledge.embedding.api-key is set in a configuration file packaged")
                .contains("switchboard.security.require-https is off")
                .doesNotContain("switchboard.llm.providers.local.api-key", "sk-written-into-the-repository",
                        "embedding-key-in-the-repository", "SWITCHBOARD_SECURITY_JWT_SECRET");
    }

    @Test
    void runsOnAConfiguredServerWithRedactedJsonLogs(CapturedOutput output) throws IOException {
        try (ServerDatabase database = ServerDatabase.create();
                ConfigurableApplicationContext app = new SpringApplicationBuilder(Switchboard.class, ProbeController.class)
                        .profiles("prod")
                        .run("--server.port=0", "--spring.datasource.url=" + database.url(),
                                "--switchboard.security.jwt-secret=production-like-secret-0123456789abcdef",
                                "--switchboard.security.encryption-key=cHJvZHVjdGlvbi1saWtlLWtleS0wMTIzNDU2Nzg5YWI=",
                                "--switchboard.identity.oauth.signing-key=" + signingKey())) {
            assertThat(app.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo(database.url());
            HttpTestClient http = new HttpTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
            assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
            String message = URLEncoder.encode("login ada@example.com with password=hunter2hunter2", StandardCharsets.UTF_8);
            assertThat(http.get("/test/probe/log?message=x").statusCode()).as("plain HTTP is redirected under prod")
                    .isEqualTo(302);
            var overHttps = http.get("/test/probe/log?message=" + message, "X-Request-Id", "json-log-check",
                    "X-Forwarded-Proto", "https", "traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
            assertThat(overHttps.statusCode()).isEqualTo(200);
            assertThat(overHttps.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(
                    hsts -> assertThat(hsts).contains("max-age="));
        }
        String line = output.getOut().lines()
                .filter(l -> l.contains("json-log-check") && l.contains("Probe says"))
                .findFirst().orElseThrow(() -> new AssertionError("no probe log line in:\n" + output.getOut()));
        assertThat(line).startsWith("{").contains("\"ecs\":{\"version\"").contains("\"requestId\":\"json-log-check\"")
                .contains("\"traceId\":\"" + TRACE_ID + "\"")
                .contains("[REDACTED-EMAIL]").contains("password=[REDACTED]")
                .doesNotContain("ada@example.com", "hunter2hunter2");
        String access = output.getOut().lines()
                .filter(l -> l.contains("json-log-check") && l.contains("switchboard.access"))
                .findFirst().orElseThrow(() -> new AssertionError("no access log line in:\n" + output.getOut()));
        assertThat(access).startsWith("{").contains("\"http\":{\"request\":{\"method\":\"GET\"}",
                "\"url\":{\"path\":\"/test/probe/log\",\"query\":\"message=[REDACTED]\"}",
                "\"status_code\":200", "\"requestId\":\"json-log-check\"").doesNotContain("ada@example.com", "hunter2");
    }

    /**
     * A PostgreSQL server the application reaches through spring.datasource.url: the CI machine's server
     * when configured, otherwise a standalone embedded server started by the test itself.
     */
    record ServerDatabase(String url, EmbeddedPostgres ownServer) implements AutoCloseable {

        static ServerDatabase create() throws IOException {
            String external = System.getProperty(TestDatabaseInitializer.EXTERNAL_PROPERTY, "");
            if (!external.isBlank()) {
                return new ServerDatabase(TestDatabaseInitializer.freshExternalDatabase(external), null);
            }
            EmbeddedPostgres server = EmbeddedPostgres.builder().start();
            return new ServerDatabase(server.getJdbcUrl("postgres", "postgres"), server);
        }

        @Override
        public void close() throws IOException {
            if (ownServer != null) {
                ownServer.close();
            }
        }
    }

    /** A fresh RSA key as PEM PKCS#8, as an operator would mount it for the OAuth authorization server. */
    private static String signingKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate()
                    .getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
