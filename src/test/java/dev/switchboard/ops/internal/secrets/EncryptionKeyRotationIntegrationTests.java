package dev.switchboard.ops.internal.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.Switchboard;
import dev.switchboard.llm.internal.provider.RuntimeProviders;
import dev.switchboard.shared.SecretBox;
import dev.switchboard.sql.internal.connection.RegisteredDatabases;
import dev.switchboard.support.TestDatabaseInitializer;
import dev.switchboard.tenancy.TenantContext;
import dev.switchboard.tenancy.TenantManagement;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Rotating {@code switchboard.security.encryption-key}: the application restarted on one database with a new key and
 * the old one in {@code previous-encryption-keys} reads everything, re-seals it in the background (several runs at
 * once included), and afterwards needs the new key alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class EncryptionKeyRotationIntegrationTests {

    private static final String KEY_A = key('A');
    private static final String KEY_B = key('B');
    private static final String KEY_C = key('C');
    private static final int PROVIDERS = 230;

    private final String[] database = TestDatabaseInitializer.freshDatabaseArguments();
    private final UUID tenant = UUID.randomUUID();
    private final UUID mcpServer = UUID.randomUUID();
    private final UUID sqlConnection = UUID.randomUUID();

    @Test
    void secretsSealedWithTheOldKeyAreReadAndResealedThenTheNewKeyAloneSuffices(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = start("--switchboard.security.encryption-key=" + KEY_A)) {
            storeSecrets(app);
            // The value in the layout from before key ids counts as not sealed with the current key, whichever it is.
            assertThat(stale(app)).isEqualTo(1);
        }

        try (ConfigurableApplicationContext app = start("--switchboard.security.encryption-key=" + KEY_B,
                "--switchboard.security.previous-encryption-keys=" + KEY_C + "," + KEY_A)) {
            assertEverySecretReads(app);
            SecretResealJob job = app.getBean(SecretResealJob.class);
            // The start-up run and two more at once, as three replicas would: every value re-sealed exactly once.
            List<CompletableFuture<SecretResealJob.Run>> runs = List.of(CompletableFuture.supplyAsync(job::run),
                    CompletableFuture.supplyAsync(job::run));
            runs.forEach(CompletableFuture::join);
            await().atMost(Duration.ofSeconds(30)).until(() -> stale(app) == 0);
            assertThat(runs).allSatisfy(run -> assertThat(run.join().failed()).isZero());
            assertThat(sealedValues(app)).hasSize(PROVIDERS + 2)
                    .allSatisfy(value -> assertThat(new SecretBox(KEY_B).sealedWithCurrentKey(value)).isTrue());
            assertEverySecretReads(app);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    app.getBean(MeterRegistry.class).get("switchboard.secrets.resealed").counter().count())
                    .isEqualTo(PROVIDERS + 2));
            assertThat(app.getBean(MeterRegistry.class).get("switchboard.secrets.stale").gauge().value()).isZero();
            assertThat(job.run()).isEqualTo(new SecretResealJob.Run(0, 0, 0, 0));
        }
        assertThat(output.getOut()).contains(PROVIDERS + 2 + " stored secrets are sealed with a previous encryption key; "
                + "re-sealing them under key " + new SecretBox(KEY_B).keyId());

        try (ConfigurableApplicationContext app = start("--switchboard.security.encryption-key=" + KEY_B)) {
            assertEverySecretReads(app);
            // A value only the retired key opens is refused with what to do, never read as garbage.
            byte[] orphan = new SecretBox(KEY_A).seal("sk-orphan", providerContext("p-0"));
            assertThatIllegalStateException().isThrownBy(() -> app.getBean(SecretBox.class).open(orphan, providerContext("p-0")))
                    .withMessageContaining("sealed with encryption key " + new SecretBox(KEY_A).keyId())
                    .withMessageContaining("switchboard.security.previous-encryption-keys");
            inTenant(app, () -> app.getBean(JdbcClient.class)
                    .sql("update llm_providers set api_key_sealed = :sealed where id = 'p-1'").param("sealed", orphan)
                    .update());
            assertThat(app.getBean(SecretResealJob.class).run().failed()).isEqualTo(1);
            assertThat(output.getOut()).contains("Cannot re-seal LLM provider API keys of tenant " + tenant + ", row p-1");
        }
    }

    private ConfigurableApplicationContext start(String... keys) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=test"));
        arguments.addAll(List.of(database));
        arguments.addAll(List.of(keys));
        return new SpringApplicationBuilder(Switchboard.class).run(arguments.toArray(String[]::new));
    }

    /** Provider keys through the repository, one of them in the layout from before key ids; MCP and SQL secrets as stored. */
    private void storeSecrets(ConfigurableApplicationContext app) throws Exception {
        SecretBox box = app.getBean(SecretBox.class);
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        byte[] legacy = legacySeal(KEY_A, "sk-provider-0", providerContext("p-0"));
        inTenant(app, () -> {
            app.getBean(TenantManagement.class).create(tenant, "rot-" + tenant.toString().substring(0, 8), "Rotation");
            for (int i = 0; i < PROVIDERS; i++) {
                jdbc.sql("insert into llm_providers (tenant_id, id, kind, base_url, api_key_sealed, connect_timeout_ms, "
                        + "first_token_timeout_ms, total_timeout_ms, max_retries) values (:tenant, :id, 'openai', "
                        + "'https://api.example.com', :sealed, 1000, 1000, 1000, 0)")
                        .param("tenant", tenant).param("id", "p-" + i)
                        .param("sealed", i == 0 ? legacy : box.seal("sk-provider-" + i, providerContext("p-" + i)))
                        .update();
            }
            jdbc.sql("insert into mcp_servers (id, tenant_id, name, url, transport, auth_header_name, auth_header_sealed, "
                    + "timeout_ms, tools_refreshed_at) values (:id, :tenant, 'tools', 'https://mcp.example.com', "
                    + "'streamable-http', 'Authorization', :sealed, 1000, now())")
                    .param("id", mcpServer).param("tenant", tenant)
                    .param("sealed", box.seal("Bearer mcp-secret", "mcp-server:" + tenant + ":" + mcpServer)).update();
            jdbc.sql("insert into sql_connections (id, tenant_id, name, kind, host, port, database_name, username, "
                    + "password_sealed, tls_mode, allowed_tables, max_rows, statement_timeout_ms) values (:id, :tenant, "
                    + "'sales', 'postgresql', 'db.example.com', 5432, 'sales', 'reader', :sealed, 'require', '[]', 10, 1000)")
                    .param("id", sqlConnection).param("tenant", tenant)
                    .param("sealed", box.seal("db-password", "sql-connection:" + tenant + ":" + sqlConnection)).update();
            return null;
        });
    }

    private void assertEverySecretReads(ConfigurableApplicationContext app) {
        SecretBox box = app.getBean(SecretBox.class);
        inTenant(app, () -> {
            RuntimeProviders providers = app.getBean(RuntimeProviders.class);
            assertThat(providers.find("p-0").orElseThrow().apiKey()).isEqualTo("sk-provider-0");
            assertThat(providers.list()).hasSize(PROVIDERS)
                    .allSatisfy(p -> assertThat(p.apiKey()).isEqualTo("sk-provider-" + p.id().substring(2)));
            assertThat(app.getBean(RegisteredDatabases.class).find(sqlConnection).orElseThrow().password())
                    .isEqualTo("db-password");
            byte[] mcp = app.getBean(JdbcClient.class).sql("select auth_header_sealed from mcp_servers where id = :id")
                    .param("id", mcpServer).query(byte[].class).single();
            assertThat(box.open(mcp, "mcp-server:" + tenant + ":" + mcpServer)).isEqualTo("Bearer mcp-secret");
            return null;
        });
    }

    private List<byte[]> sealedValues(ConfigurableApplicationContext app) {
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        return inTenant(app, () -> {
            List<byte[]> values = new ArrayList<>(jdbc.sql("select api_key_sealed from llm_providers").query(byte[].class).list());
            values.addAll(jdbc.sql("select auth_header_sealed from mcp_servers").query(byte[].class).list());
            values.addAll(jdbc.sql("select password_sealed from sql_connections").query(byte[].class).list());
            return values;
        });
    }

    private long stale(ConfigurableApplicationContext app) {
        SecretBox box = app.getBean(SecretBox.class);
        return sealedValues(app).stream().filter(value -> !box.sealedWithCurrentKey(value)).count();
    }

    private <T> T inTenant(ConfigurableApplicationContext app, Supplier<T> work) {
        return TenantContext.callAs(tenant, () -> app.getBean(TransactionTemplate.class).execute(status -> work.get()));
    }

    private String providerContext(String id) {
        return "llm-provider:" + tenant + ":" + id;
    }

    private static String key(char fill) {
        return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
    }

    /** The layout before key ids: version 1, nonce, ciphertext and tag. */
    private static byte[] legacySeal(String base64Key, String plaintext, String context) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"),
                new GCMParameterSpec(128, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(1 + 12 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
    }
}
