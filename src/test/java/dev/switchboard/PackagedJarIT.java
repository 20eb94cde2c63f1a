package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started as a user starts it ({@code java -jar}, after {@code package}; the rest of the suite runs
 * on the class path): it comes up in the {@link IndexedClassLoader} and serves what lives in its nested jars and its
 * own classes — templates, web jars, the OpenAPI document.
 */
class PackagedJarIT {

    @TempDir
    Path dir;

    Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    @Test
    void theJarStartsInTheIndexedClassLoaderAndServesFromItsNestedJars() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("switchboard.log");
        app = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                jar().toString(), "--switchboard.data-dir=" + dir.resolve("data"), "--server.port=" + port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);

        // A guard against a hung start on a busy machine, not a timing check.
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class).until(
                () -> {
                    assertThat(app.isAlive()).as("the jar exited; its log:%n%s", Files.readString(log)).isTrue();
                    return status(http, base.resolve("/health/ready")) == 200 && Files.readString(log).contains("Classes loaded through");
                });

        assertThat(Files.readString(log)).containsPattern("Classes loaded through an indexed class loader over \\d{3} jars")
                // java -jar: the JVM's loader over the packaged jar alone, so it is asked only for the JDK's and the
                // launcher's classes, not for each of the application's
                .containsPattern("only classes of the \\d{3,} JDK and launcher packages asked of the parent loader first")
                .doesNotContain("ClassNotFoundException", "NoClassDefFoundError");
        assertThat(status(http, base.resolve("/api/docs/openapi.json"))).isEqualTo(200);
        assertThat(status(http, base.resolve("/setup"))).isEqualTo(200);
        assertThat(status(http, base.resolve("/webjars/htmx.org/dist/htmx.min.js"))).isEqualTo(200);
    }

    private static int status(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(file -> file.getFileName().toString().matches("switchboard-.*\\.jar"))
                    .filter(file -> !file.getFileName().toString().matches(".*-(sources|javadoc|plain)\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no packaged jar in target/: run ./mvnw verify (or package first)"));
        }
    }
}
