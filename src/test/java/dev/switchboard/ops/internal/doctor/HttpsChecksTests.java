package dev.switchboard.ops.internal.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The checks that only run over HTTPS, against a real TLS server (the JDK's, with a self-signed certificate for
 * 127.0.0.1 made by {@code keytool}) that the doctor is told to trust.
 */
class HttpsChecksTests {

    static final char[] PASSWORD = "doctor-test".toCharArray();

    static SSLContext tls;

    HttpsServer server;

    @BeforeAll
    static void certificate(@TempDir Path directory) throws IOException, InterruptedException, GeneralSecurityException {
        Path keystore = directory.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aYearOfHstsOverHttpsPassesAndTheUnknownPlainPortIsSkipped() throws IOException {
        String base = serve("max-age=31536000 ; includeSubDomains");

        DoctorReport report = Doctor.examine(DoctorOptions.parse(List.of("--url", base), name -> null), tls);

        assertThat(result(report, "HSTS")).satisfies(check -> {
            assertThat(check.result()).isEqualTo(CheckResult.Outcome.PASS);
            assertThat(check.reason()).contains("max-age=31536000");
        });
        assertThat(result(report, "HTTPS redirect")).satisfies(check -> {
            assertThat(check.result()).isEqualTo(CheckResult.Outcome.SKIP);
            assertThat(check.reason()).contains("port " + server.getAddress().getPort());
        });
        assertThat(result(report, "liveness").result()).isEqualTo(CheckResult.Outcome.PASS);
    }

    @Test
    void aShortOrMissingHstsFails() throws IOException {
        String shortLived = serve("max-age=300");
        assertThat(result(Doctor.examine(DoctorOptions.parse(List.of("--url", shortLived), name -> null), tls), "HSTS")).satisfies(
                check -> {
                    assertThat(check.result()).isEqualTo(CheckResult.Outcome.FAIL);
                    assertThat(check.reason()).contains("max-age=300", "at least a year");
                });
        server.stop(0);

        String none = serve(null);
        assertThat(result(Doctor.examine(DoctorOptions.parse(List.of("--url", none), name -> null), tls), "HSTS")).satisfies(check -> {
            assertThat(check.result()).isEqualTo(CheckResult.Outcome.FAIL);
            assertThat(check.reason()).contains("no Strict-Transport-Security");
        });
    }

    /** An HTTPS server whose every answer is 200 with {@code hsts} as its Strict-Transport-Security (none if null). */
    String serve(String hsts) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            if (hsts != null) {
                exchange.getResponseHeaders().add("Strict-Transport-Security", hsts);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    static CheckResult result(DoctorReport report, String check) {
        return report.checks().stream().filter(result -> result.check().equals(check)).findFirst().orElseThrow();
    }
}
