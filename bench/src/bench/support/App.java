package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Switchboard as a child process ({@code java -jar}) on a free port with its own embedded PostgreSQL, pointed at the fake provider: starts it, signs in, creates the persona {@code bench} and an enterprise API key.
 */
public final class App implements AutoCloseable {

    public Process process;
    public final String base;
    public final int dbPort;
    public final Path data;
    public String key;
    /** The bootstrap admin's access token from start-up (short-lived). */
    public String token;
    /** The bootstrap admin's password, for a browser signing in. */
    public String password;
    private List<String> command;
    private Path log;

    private App(Process process, String base, int dbPort, Path data) {
        this.process = process;
        this.base = base;
        this.dbPort = dbPort;
        this.data = data;
    }

    public static App start(Path jar, String name, String fakeUrl, List<String> jvmArgs, List<String> extra) throws Exception {
        int port = unusedPort();
        int dbPort = unusedPort();
        String password = "bench-admin-password-" + System.nanoTime();
        Path data = WORK.resolve("data-" + name);
        Path log = OUT.resolve(name + "-app.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-jar", jar.toString(), "--switchboard.data-dir=" + data, "--server.port=" + port,
                "--switchboard.database.embedded.port=" + dbPort,
                "--switchboard.bootstrap.admin-email=" + EMAIL, "--switchboard.bootstrap.admin-password=" + password,
                "--switchboard.metering.login-per-address-per-minute=100000",
                "--switchboard.metering.login-per-account-per-minute=100000",
                "--switchboard.metering.global-requests-per-second=1000000", "--switchboard.metering.default-tier=enterprise",
                "--switchboard.metering.tiers.enterprise.requests-per-minute=100000000",
                "--switchboard.metering.tiers.enterprise.tokens-per-day=100000000000",
                "--switchboard.llm.providers.fake.kind=openai", "--switchboard.llm.providers.fake.base-url=" + fakeUrl + "/v1",
                "--switchboard.llm.providers.fake.api-key=x", "--switchboard.llm.default-chain=fake:gpt-bench",
                // The fake provider listens on loopback, which outbound connections refuse unless opened.
                "--switchboard.security.outbound.allowed-networks=127.0.0.1/32"));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        App app = new App(process, "http://127.0.0.1:" + port, dbPort, data);
        app.command = command;
        app.log = log;
        app.password = password;
        long t = System.nanoTime();
        app.waitReady(log);
        log("Switchboard (%s) ready after %.1f s", String.join(" ", jvmArgs), (System.nanoTime() - t) / 1e9);
        String token = app.token = JSON.readTree(post(app.base + "/api/auth/login", "{\"email\":\"" + EMAIL + "\",\"password\":\""
                + password + "\"}",
                null, true).body()).get("accessToken").asString();
        post(app.base + "/api/personas", "{\"slug\":\"bench\",\"name\":\"Bench\",\"instructions\":\"" + INSTRUCTIONS + "\"}", token,
                true);
        app.key = JSON.readTree(post(app.base + "/api/keys", "{\"name\":\"bench\",\"tier\":\"enterprise\"}", token, true).body())
                .get("key").asString();
        return app;
    }

    /** Starts Switchboard again after {@link #close()}: same command, data directory and ports; the API key stays valid. */
    public void restart() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        long t = System.nanoTime();
        waitReady(log);
        log("Switchboard restarted, ready after %.1f s", (System.nanoTime() - t) / 1e9);
    }

    public Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/switchboard", "postgres", "");
    }

    public void waitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Switchboard exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && JSON.readTree(response.body()).path("status").asString().equals("UP")) {
                    return;
                }
            }
            catch (IOException | RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Switchboard not ready after 180 s; see " + log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}

// HTTP and statistics
