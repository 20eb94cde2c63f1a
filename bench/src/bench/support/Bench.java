package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * Shared state and helpers of the load generators: the JSON mapper and HTTP client, environment settings, logging, HTTP calls, Prometheus metrics and process figures read from /proc.
 */
public final class Bench {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    public static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(30)).build();
    public static final String EMAIL = "bench@example.test";
    public static final String FAKE_TEXT = "Hello from the fake provider.";
    public static final String INSTRUCTIONS = "You are a benchmark.";

    /**
     * Reads the arguments every load scenario takes (the Switchboard jar, a private work directory, the output
     * directory) into {@link #WORK} and {@link #OUT}; returns the jar.
     */
    public static Path init(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("arguments: <switchboard.jar> <work directory> <output directory>");
        }
        WORK = Path.of(args[1]);
        OUT = Path.of(args[2]);
        return Path.of(args[0]);
    }

    public static Path WORK;
    public static int FAKE_PORT;
    public static Path OUT;

    public static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }

    public static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    public static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    public static String jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return output;
    }

    public static double delta(Map<String, Double> before, Map<String, Double> after, String prefix) {
        return sum(after, prefix) - sum(before, prefix);
    }

    /** Sum of every series of a metric (the application's data source only; the migration pool sits idle). */
    public static double sum(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> !e.getKey().contains("migration")).mapToDouble(Map.Entry::getValue).sum();
    }

    public static Map<String, Double> metrics(App app) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.base + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> metrics = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                metrics.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
            catch (NumberFormatException ignored) {
                // not a plain sample
            }
        }
        return metrics;
    }

    public static List<String> thin(List<String> all, int most) {
        if (all.size() <= most) {
            return all;
        }
        List<String> some = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            some.add(all.get(i * (all.size() - 1) / (most - 1)));
        }
        return some;
    }

    public static String firstLines(String text, int n) {
        return text.lines().skip(1).limit(n).map(String::strip).collect(Collectors.joining(" / "));
    }

    public static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** Established TCP connections whose local port is {@code port} (the server side), from /proc/net/tcp. */
    public static int established(int port) throws IOException {
        String hex = f(":%04X", port);
        int count = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length > 3 && cols[1].endsWith(hex) && cols[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }

    /** {@code mustSucceed}: anything but 2xx is an error. */
    public static HttpResponse<String> post(String url, String json, String bearer, Boolean mustSucceed) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (mustSucceed != null && mustSucceed && response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    public static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static void check(HttpResponse<String> response, int status, String text) {
        if (response.statusCode() != status || !response.body().contains(text)) {
            throw new IllegalStateException("unexpected answer " + response.statusCode() + ": " + response.body());
        }
    }

    public static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
