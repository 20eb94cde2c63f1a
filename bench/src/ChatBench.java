import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Personas-and-chat benchmarks (bench/routing-overhead.sh, bench/chat-turns.sh, bench/history.sh run it with
 * the mode as first argument). Each mode starts the fake OpenAI-compatible provider ({@link FakeLlmServer}) in this
 * JVM, then Switchboard as a child process ({@code java -jar}) pointed at it, signs in, creates the persona
 * {@code bench} and an enterprise API key, and measures:
 * <ul>
 * <li>{@code routing}: {@code POST /v1/chat/completions} straight to the fake and through Switchboard, with wrk, at
 * 1, 16 and 64 connections; {@code GET /api/auth/me} (same API key) and {@code GET /health/live} for where the
 * time goes; a JFR profile of Switchboard under the 16-connection load.</li>
 * <li>{@code turns}: {@code POST /api/chat} turns on sessions seeded (SQL) with exactly 50 messages — alone and
 * at 200 concurrent sessions, with the fake answering at once and after 200 ms — against the stateless
 * {@code /v1/chat/completions} carrying the same 50 messages; then 1,000 concurrent SSE streams.</li>
 * <li>{@code history}: {@code GET /api/sessions/{id}/messages} pages in a database seeded (SQL) with 1,000,000
 * messages, against {@code GET /api/auth/me} and {@code GET /health/live} from the same client.</li>
 * </ul>
 * Prints markdown lines for the calling script to append to bench/RESULTS.md; progress goes to stderr.
 */
public class ChatBench {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(30)).build();
    static final String EMAIL = "bench@example.test";
    static final String FAKE_TEXT = "Hello from the fake provider.";
    static final String INSTRUCTIONS = "You are a benchmark.";

    static Path WORK;
    static int FAKE_PORT;
    static Path OUT;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path jar = Path.of(args[1]);
        WORK = Path.of(args[2]);
        OUT = Path.of(args[3]);
        switch (mode) {
            case "routing" -> routing(jar);
            case "turns" -> turns(jar);
            case "history" -> history(jar);
            default -> throw new IllegalArgumentException("mode: routing, turns or history");
        }
        System.exit(0);
    }

    static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    // =====================================================================================================
    // 1. Routing overhead
    // =====================================================================================================

    /**
     * wrk results, mergeable: each run's latency distribution kept as {@link #POINTS} quantiles (wrk's Lua API gives
     * percentiles, not the histogram), each standing for requests / POINTS requests.
     */
    static final int POINTS = 1000;

    /** {@code upstream}: new connections to the provider during the run; {@code downstream}: wrk's to the target. */
    record Wrk(long requests, double seconds, long[] errors, List<double[]> quantiles, double maxUs, long upstream, long downstream) {

        static final String[] ERRORS = {"connect", "read", "write", "non-2xx", "timeout"};

        Wrk plus(Wrk other) {
            long[] sum = new long[ERRORS.length];
            for (int i = 0; i < sum.length; i++) {
                sum[i] = errors[i] + other.errors[i];
            }
            List<double[]> all = new ArrayList<>(quantiles);
            all.addAll(other.quantiles);
            return new Wrk(requests + other.requests, seconds + other.seconds, sum, all, Math.max(maxUs, other.maxUs),
                    upstream + other.upstream, downstream + other.downstream);
        }

        double rps() {
            return requests / seconds;
        }

        long errorCount() {
            return Arrays.stream(errors).sum();
        }

        String errorText() {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < ERRORS.length; i++) {
                if (errors[i] > 0) {
                    parts.add(ERRORS[i] + " " + errors[i]);
                }
            }
            return String.join(", ", parts);
        }

        /** Percentile (ms) of the mixture of the runs, each quantile point weighted by its run's requests. */
        double pct(double p) {
            List<double[]> points = new ArrayList<>();
            double total = 0;
            for (double[] q : quantiles) {
                double weight = q[0] / POINTS;
                for (int i = 1; i < q.length; i++) {
                    points.add(new double[] {q[i], weight});
                }
                total += q[0];
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            double rank = p / 100 * total;
            double seen = 0;
            for (double[] point : points) {
                seen += point[1];
                if (seen >= rank) {
                    return point[0] / 1000;
                }
            }
            return points.isEmpty() ? Double.NaN : points.getLast()[0] / 1000;
        }

        double mean() {
            double sum = 0;
            double total = 0;
            for (double[] q : quantiles) {
                for (int i = 1; i < q.length; i++) {
                    sum += q[i] * q[0] / POINTS;
                }
                total += q[0];
            }
            return sum / total / 1000;
        }

        double max() {
            return maxUs / 1000;
        }

        @Override
        public String toString() {
            return f("%d requests (%s), %.0f/s, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.1f ms", requests,
                    errorCount() == 0 ? "no errors" : errorText(), rps(), pct(50), pct(90), pct(99), max());
        }
    }

    static void routing(Path jar) throws Exception {
        int seconds = env("DURATION", 15);
        int rounds = env("ROUNDS", 3);
        int warmup = env("WARMUP", 40);
        List<Integer> levels = Arrays.stream(System.getenv().getOrDefault("CONNECTIONS", "1,16,64").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        try (FakeLlmServer fake = new FakeLlmServer().always(Behaviour.reply(FAKE_TEXT))) {
            // The fake keeps every request it receives; forget them every second so its heap stays small.
            FAKE_PORT = URI.create(fake.baseUrl()).getPort();
            ScheduledExecutorService resets = Executors.newSingleThreadScheduledExecutor();
            resets.scheduleAtFixedRate(fake::reset, 1, 1, TimeUnit.SECONDS);
            try (App app = App.start(jar, "routing", fake.baseUrl(), List.of(), List.of())) {
                String viaBody = "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
                // What Switchboard sends on: the persona's instructions as a system message, then the client's messages.
                String directBody = "{\"model\":\"gpt-bench\",\"messages\":[{\"role\":\"system\",\"content\":\"" + INSTRUCTIONS
                        + "\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
                check(post(app.base + "/v1/chat/completions", viaBody, app.key, null), 200, FAKE_TEXT);
                check(post(fake.baseUrl() + "/v1/chat/completions", directBody, null, null), 200, FAKE_TEXT);
                Map<String, Target> targets = new LinkedHashMap<>();
                targets.put("direct", new Target("fake provider directly: `POST /v1/chat/completions`",
                        fake.baseUrl() + "/v1/chat/completions", lua("direct", "POST", directBody, null)));
                targets.put("via", new Target("through Switchboard: `POST /v1/chat/completions` (API key, persona `bench`)",
                        app.base + "/v1/chat/completions", lua("via", "POST", viaBody, app.key)));
                targets.put("me", new Target("Switchboard `GET /api/auth/me` (same API key, no LLM call)", app.base + "/api/auth/me",
                        lua("me", "GET", null, app.key)));
                targets.put("live", new Target("Switchboard `GET /health/live` (no authentication)", app.base + "/health/live",
                        lua("live", "GET", null, null)));

                log("warm-up: %d s through Switchboard at 64 connections, then %d s of each other target", warmup, warmup / 2);
                wrk(targets.get("via"), 64, warmup);
                for (String name : List.of("direct", "me", "live")) {
                    wrk(targets.get(name), 64, warmup / 2);
                }
                // At each level the targets take turns in rounds, so that what drifts (JIT, the shared cores) weighs on all.
                Map<Integer, Map<String, Wrk>> results = new TreeMap<>();
                for (int connections : levels) {
                    Map<String, Wrk> level = new LinkedHashMap<>();
                    for (int round = 0; round < rounds; round++) {
                        for (String name : targets.keySet()) {
                            Wrk result = wrk(targets.get(name), connections, seconds / rounds);
                            log("c=%d round %d %s: %s", connections, round + 1, name, result);
                            level.merge(name, result, Wrk::plus);
                        }
                    }
                    level.forEach((name, result) -> log("c=%d %s: %s", connections, name, result));
                    results.put(connections, level);
                }

                // Paced load: 16 and 64 connections that together send a fixed number of requests a second (below what the
                // box can serve), so the latencies show what a request costs, not how long it queues for the cores.
                List<Integer> rates = Arrays.stream(System.getenv().getOrDefault("RATES", "200,500").split(","))
                        .map(String::strip).map(Integer::parseInt).toList();
                List<String> pacedRows = new ArrayList<>();
                for (int rate : rates) {
                    for (int connections : List.of(16, 64)) {
                        int pauseMs = connections * 1000 / rate;
                        Target direct = new Target("", fake.baseUrl() + "/v1/chat/completions",
                                lua("direct-paced", "POST", directBody, null, pauseMs));
                        Target via = new Target("", app.base + "/v1/chat/completions", lua("via-paced", "POST", viaBody, app.key, pauseMs));
                        Wrk d = null;
                        Wrk v = null;
                        for (int round = 0; round < rounds; round++) {
                            Wrk dr = wrk(direct, connections, seconds / rounds);
                            Wrk vr = wrk(via, connections, seconds / rounds);
                            d = d == null ? dr : d.plus(dr);
                            v = v == null ? vr : v.plus(vr);
                        }
                        log("paced %d req/s, %d connections: direct %s; via %s", rate, connections, d, v);
                        double addedP50 = v.pct(50) - d.pct(50);
                        double addedP99 = v.pct(99) - d.pct(99);
                        pacedRows.add(f("| %d | %d | %.0f / %.0f | %.3f / %.3f | %.3f / %.3f | %s | **%+.3f** (%s) | **%+.3f** (%s) |",
                                rate,
                                connections, d.rps(), v.rps(), d.pct(50), d.pct(99), v.pct(50), v.pct(99),
                                v.errorCount() + d.errorCount() == 0 ? "0" : v.errorText() + " " + d.errorText(), addedP50,
                                addedP50 < 1 ? "met" : "missed", addedP99, addedP99 < 3 ? "met" : "missed"));
                    }
                }

                // Longer conversations: the same comparison at 1 connection with history in the request (the request body
                // grows from ~3 KB to ~15 KB), the two targets taking turns.
                List<String> sizeRows = new ArrayList<>();
                for (int messages : List.of(10, 24, 30, 50)) {
                    String via = conversation("bench", null, messages);
                    String direct = conversation("gpt-bench", INSTRUCTIONS, messages);
                    Target viaTarget = new Target("", app.base + "/v1/chat/completions", lua("via-" + messages, "POST", via, app.key));
                    Target directTarget = new Target("", fake.baseUrl() + "/v1/chat/completions", lua("direct-" + messages, "POST", direct,
                            null));
                    Wrk d = null;
                    Wrk v = null;
                    for (int round = 0; round < 2; round++) {
                        Wrk dr = wrk(directTarget, 1, 3);
                        Wrk vr = wrk(viaTarget, 1, 3);
                        d = d == null ? dr : d.plus(dr);
                        v = v == null ? vr : v.plus(vr);
                    }
                    log("1 connection, %d messages: direct %s; via %s", messages, d, v);
                    sizeRows.add(f("| %d + 1 | %,d | %.3f / %.3f | %.3f / %.3f | %s | **%+.3f** / %+.3f |", messages,
                            direct.getBytes(StandardCharsets.UTF_8).length, d.pct(50), d.pct(99), v.pct(50), v.pct(99),
                            v.errorCount() + d.errorCount() == 0 ? "0" : v.errorText() + " " + d.errorText(), v.pct(50) - d.pct(50),
                            v.pct(99) - d.pct(99)));
                }

                // Profile: JFR (profile settings) while the 16-connection load goes through Switchboard.
                Path jfr = WORK.resolve("routing.jfr");
                jcmd(app.process.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
                Wrk profiled = wrk(targets.get("via"), 16, seconds);
                jcmd(app.process.pid(), "JFR.stop", "name=bench");
                log("profiled run: %s", profiled);

                System.out.println(
                        "| connections | target | requests | errors | req/s | mean ms | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
                results.forEach((connections, level) -> level.forEach((name, r) -> System.out.println(f(
                        "| %d | %s | %d | %s | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f |", connections, targets.get(name).label,
                        r.requests, r.errorCount() == 0 ? "0" : "**" + r.errorCount() + "** (" + r.errorText() + ")", r.rps(), r.mean(),
                        r.pct(50), r.pct(90), r.pct(99), r.pct(99.9), r.max()))));
                System.out.println();
                for (var entry : results.entrySet()) {
                    Wrk direct = entry.getValue().get("direct");
                    Wrk via = entry.getValue().get("via");
                    Wrk me = entry.getValue().get("me");
                    Wrk live = entry.getValue().get("live");
                    double addedP50 = via.pct(50) - direct.pct(50);
                    double addedP99 = via.pct(99) - direct.pct(99);
                    System.out.println(f("- **%s: added by Switchboard p50 %+.3f ms (target < 1 ms → %s), p99 %+.3f ms "
                            + "(target < 3 ms → %s)**; throughput through Switchboard / direct = %.2f× (%.0f vs %.0f req/s); "
                            + "`/api/auth/me` with the same key p50 %.3f ms, `/health/live` p50 %.3f ms; CPU per request through "
                            + "Switchboard ≤ %.2f ms (2 cores ÷ req/s, wrk's and the fake's share included); new TCP connections "
                            + "Switchboard opened to the provider: %.1f per 1,000 requests; wrk opened %d connections to Switchboard "
                            + "in its %d runs of %d connections (%d to the fake directly)",
                            entry.getKey() == 1 ? "1 connection" : entry.getKey() + " connections", addedP50,
                            addedP50 < 1 ? "met" : "**missed**", addedP99, addedP99 < 3 ? "met" : "**missed**",
                            via.rps() / direct.rps(), via.rps(), direct.rps(), me.pct(50), live.pct(50),
                            2000.0 / via.rps(), 1000.0 * via.upstream() / via.requests(), via.downstream(), rounds, entry.getKey(),
                            direct.downstream()));
                }
                System.out.println();
                System.out.println(f("Paced load (each connection pauses a random 0–2 × c × 1000 / rate ms before each request, so the "
                        + "connections together send about the rate; direct and through Switchboard take turns, %d × %d s each; "
                        + "targets: added p50 < 1 ms, p99 < 3 ms):", rounds, seconds / rounds));
                System.out.println();
                System.out.println(
                        "| rate, req/s | connections | achieved direct / via, req/s | direct p50 / p99 ms | through Switchboard p50 / p99 ms "
                                + "| errors | added p50 ms | added p99 ms |");
                System.out.println("|---|---|---|---|---|---|---|---|");
                pacedRows.forEach(System.out::println);
                System.out.println();
                System.out.println(
                        "Longer requests, 1 connection (history sent in the request, as OpenAI clients do; 2 × 3 s per target and size, "
                                + "taking turns):");
                System.out.println();
                System.out.println(
                        "| messages | request body forwarded, bytes | direct p50 / p99 ms | through Switchboard p50 / p99 ms | errors "
                                + "| added p50 / p99 ms |");
                System.out.println("|---|---|---|---|---|---|");
                sizeRows.forEach(System.out::println);
                System.out.println();
                System.out.println(f("- profile: JFR (`settings=profile`, execution samples of the Switchboard JVM only) during a further "
                        + "%d s at 16 connections through Switchboard (%.0f req/s, p50 %.3f ms, p99 %.3f ms while recording):",
                        seconds, profiled.rps(), profiled.pct(50), profiled.pct(99)));
                profile(jfr).forEach(System.out::println);
            }
            finally {
                resets.shutdownNow();
            }
        }
    }

    record Target(String label, String url, Path script) {
    }

    /** A chat completion request with {@code messages} earlier messages (the seeded template) and a new question. */
    static String conversation(String model, String system, int messages) {
        StringBuilder body = new StringBuilder("{\"model\":\"" + model + "\",\"messages\":[");
        if (system != null) {
            body.append("{\"role\":\"system\",\"content\":\"").append(system).append("\"},");
        }
        for (int seq = 1; seq <= messages; seq++) {
            body.append("{\"role\":\"").append(seq % 2 == 1 ? "user" : "assistant").append("\",\"content\":\"")
                    .append(content(seq, "conversation")).append("\"},");
        }
        return body.append("{\"role\":\"user\",\"content\":\"Say hello.\"}]}").toString();
    }

    static Path lua(String name, String method, String body, String bearer) throws IOException {
        return lua(name, method, body, bearer, 0);
    }

    /**
     * A wrk script; with {@code pauseMs} > 0 each connection pauses a random 0–2 × {@code pauseMs} before each request
     * (wrk's {@code delay}), so that {@code c} connections send about {@code c × 1000 / pauseMs} requests a second
     * together — a paced load instead of wrk's flat-out loop. wrk times each request from when it is sent.
     */
    static Path lua(String name, String method, String body, String bearer, int pauseMs) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
        if (pauseMs > 0) {
            lua.append("delay = function() return math.random(0, " + (2 * pauseMs) + ") end\n");
        }
        if (body != null) {
            lua.append("wrk.body = [==[").append(body).append("]==]\n");
            lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        }
        if (bearer != null) {
            lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(bearer).append("\"\n");
        }
        lua.append("""
                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%d duration_us=%.0f connect=%d read=%d write=%d status=%d timeout=%d max_us=%.0f\\n",
                    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency.max))
                  local points = {}
                  for i = 1, POINTS_ do
                    points[#points + 1] = string.format("%.0f", latency:percentile((i - 0.5) * 100 / POINTS_))
                  end
                  io.write("QUANTILES " .. table.concat(points, ",") .. "\\n")
                end
                """.replace("POINTS_", String.valueOf(POINTS)));
        Path path = WORK.resolve(name + ".lua");
        Files.writeString(path, lua);
        return path;
    }

    static Wrk wrk(Target target, int connections, int seconds) throws Exception {
        int threads = Math.min(2, connections);
        int targetPort = URI.create(target.url).getPort();
        Set<Integer> upstreamBefore = clientPorts(FAKE_PORT);
        Set<Integer> downstreamBefore = clientPorts(targetPort);
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", target.script.toString(), target.url).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher result = Pattern.compile("RESULT (.*)").matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("no RESULT line from wrk: " + output);
        }
        Map<String, Double> v = new HashMap<>();
        for (String pair : result.group(1).strip().split(" ")) {
            String[] kv = pair.split("=");
            v.put(kv[0], Double.parseDouble(kv[1]));
        }
        long[] errors = {v.get("connect").longValue(), v.get("read").longValue(), v.get("write").longValue(), v.get("status").longValue(),
                v.get("timeout").longValue()};
        Matcher quantiles = Pattern.compile("QUANTILES (.*)").matcher(output);
        if (!quantiles.find()) {
            throw new IllegalStateException("no QUANTILES line from wrk: " + output);
        }
        String[] points = quantiles.group(1).strip().split(",");
        double[] q = new double[points.length + 1];
        q[0] = v.get("requests");
        for (int i = 0; i < points.length; i++) {
            q[i + 1] = Double.parseDouble(points[i]);
        }
        Set<Integer> upstreamAfter = clientPorts(FAKE_PORT);
        upstreamAfter.removeAll(upstreamBefore);
        Set<Integer> downstreamAfter = clientPorts(targetPort);
        downstreamAfter.removeAll(downstreamBefore);
        return new Wrk(v.get("requests").longValue(), v.get("duration_us") / 1e6, errors, List.<double[]>of(q), v.get("max_us"),
                targetPort == FAKE_PORT ? 0 : upstreamAfter.size(), downstreamAfter.size());
    }

    /**
     * Local ports of the TCP sockets (any state, TIME_WAIT included) connected to 127.0.0.1:{@code remotePort}: the
     * client sides of the connections to it. A connection opened and closed during a run stays in TIME_WAIT for 60 s,
     * so the ports new after a run of a few seconds are the connections opened during it.
     */
    static Set<Integer> clientPorts(int remotePort) throws IOException {
        String hex = f(":%04X", remotePort);
        Set<Integer> ports = new HashSet<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] cols = line.strip().split("\\s+");
                if (cols.length > 3 && cols[2].endsWith(hex)) {
                    ports.add(Integer.parseInt(cols[1].substring(cols[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    static String jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return output;
    }

    /** Library of a frame's class, for the self-time breakdown. */
    static String library(String type) {
        String[][] known = {
                {"okhttp3.", "OkHttp (outbound HTTP client)"}, {"okio.", "OkHttp (outbound HTTP client)"},
                {"com.openai.", "OpenAI Java SDK"}, {"kotlin.", "OpenAI Java SDK"},
                {"com.fasterxml.jackson.", "Jackson 2 (OpenAI SDK's JSON)"},
                {"org.springframework.ai.", "Spring AI"}, {"reactor.", "Reactor"},
                {"tools.jackson.", "Jackson 3 (Switchboard's JSON)"},
                {"org.apache.tomcat.", "Tomcat"}, {"org.apache.coyote.", "Tomcat"}, {"org.apache.catalina.", "Tomcat"},
                {"org.springframework.security.", "Spring Security"},
                {"org.springframework.web.", "Spring MVC"}, {"org.springframework.http.", "Spring MVC"},
                {"org.postgresql.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"com.zaxxer.hikari.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"org.springframework.jdbc.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"org.springframework.transaction.", "JDBC (PostgreSQL driver, Hikari, Spring JDBC)"},
                {"io.micrometer.", "Micrometer"}, {"io.prometheus.", "Micrometer"},
                {"ch.qos.logback.", "Logging"}, {"org.slf4j.", "Logging"},
                {"io.github.resilience4j.", "Resilience4j"}, {"io.github.bucket4j.", "Bucket4j"}, {"com.bucket4j.", "Bucket4j"},
                {"com.github.benmanes.caffeine.", "Caffeine"}, {"org.hibernate.validator.", "Bean Validation"},
                {"dev.switchboard.", "Switchboard's own code"}, {"org.springframework.", "Spring (other)"},
        };
        for (String[] entry : known) {
            if (type.startsWith(entry[0])) {
                return entry[1];
            }
        }
        String[] parts = type.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
    }

    static boolean jdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("javax.")
                || type.startsWith("jakarta.") || type.startsWith("com.sun.");
    }

    /**
     * Stages of a request, innermost first: a sample belongs to the first stage (scanning its stack from the leaf up)
     * one of whose frames it has; a stage is matched by class-name prefix, optionally {@code #method}.
     */
    static final String[][] STAGES = {
            {"outbound LLM call (Spring AI `OpenAiChatModel` → OpenAI SDK → OkHttp, their JSON; on the llm-call virtual thread)",
                    "org.springframework.ai.openai.OpenAiChatModel", "com.openai.", "okhttp3.", "okio."},
            {"routing (`ChainRouter`, breaker, prompt building)", "dev.switchboard.llm.internal."},
            {"persona look-up (`TurnValidation.persona`, a database transaction)", "dev.switchboard.chat.internal.turn.TurnValidation"},
            {"token quota (`TurnMetering`)", "dev.switchboard.chat.internal.turn.TurnMetering"},
            {"session stage (`SessionStage.open`: look-up or creation, a transaction)", "dev.switchboard.chat.internal.turn.SessionStage"},
            {"history window (`HistoryWindow.build`: the last messages, a transaction)",
                    "dev.switchboard.chat.internal.turn.HistoryWindow"},
            {"persisting the turn (`TurnRecorder`: two inserts and the session update, a transaction)",
                    "dev.switchboard.chat.internal.turn.TurnRecorder"},
            {"rest of the turn (`ChatTurns`: retrieval, prompt assembly, citations)", "dev.switchboard.chat.internal.turn."},
            {"reading the request JSON",
                    "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodArgumentResolver"},
            {"writing the response JSON", "org.springframework.web.servlet.mvc.method.annotation.AbstractMessageConverterMethodProcessor"},
            {"rest of the handler (`OpenAiController`, `ChatController`, `SessionController`, `AuthController`)",
                    "dev.switchboard.chat.internal.openai.", "dev.switchboard.chat.internal.web.",
                    "dev.switchboard.identity.internal.web.AuthController"},
            {"Spring MVC dispatch (handler mapping, method security, interceptors)", "org.springframework.web.servlet.DispatcherServlet"},
            {"API-key authentication filter", "dev.switchboard.identity.internal.apikey."},
            {"rate-limit filter", "dev.switchboard.metering.internal.RateLimitFilter"},
            {"rest of the Spring Security filter chain", "org.springframework.security.web.FilterChainProxy"},
            {"other servlet filters (request id, tenant, metrics observation, body size) and Tomcat", "org.apache.catalina.",
                    "org.apache.coyote.",
                    "org.apache.tomcat."},
    };

    /** Where a sample on none of the request's stages goes. */
    static final String[][] OTHER_STAGES = {
            {"JDBC outside a request (pool housekeeping)", "com.zaxxer.hikari.", "org.postgresql."},
            {"Micrometer outside a request", "io.micrometer."},
    };

    /** The innermost of {@code stages} on the stack, or null. */
    static String stage(List<RecordedFrame> frames, String[][] stages) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (String[] candidate : stages) {
                for (int i = 1; i < candidate.length; i++) {
                    if (type.startsWith(candidate[i])) {
                        return candidate[0];
                    }
                }
            }
        }
        return null;
    }

    /** Self time by library (leaf-most frame outside the JDK), and time by stage of the request. */
    static List<String> profile(Path jfr) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> stages = new LinkedHashMap<>();
        for (String[] stage : STAGES) {
            stages.put(stage[0], 0);
        }
        for (String[] stage : OTHER_STAGES) {
            stages.put(stage[0], 0);
        }
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            total++;
            String owner = "JDK only (I/O, collections, threads)";
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (!jdk(type)) {
                    owner = library(type);
                    break;
                }
            }
            self.merge(owner, 1, Integer::sum);
            String stage = stage(frames, STAGES);
            if (stage == null) {
                stage = stage(frames, OTHER_STAGES);
            }
            stages.merge(stage == null ? "elsewhere (other threads, JDK only)" : stage, 1, Integer::sum);
        }
        List<String> lines = new ArrayList<>();
        int samples = total;
        if (samples == 0) {
            lines.add("  - (no execution samples recorded)");
            return lines;
        }
        lines.add(f("  - by stage (each sample counted once, in the innermost stage on its stack; %d samples): %s", samples,
                stages.entrySet().stream().filter(e -> e.getValue() > 0)
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(e -> f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / samples)).collect(Collectors.joining("; "))));
        lines.add(f("  - self time by library (leaf-most frame outside the JDK): %s",
                self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                        .map(e -> f("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / samples)).collect(Collectors.joining(", "))));
        return lines;
    }

    // =====================================================================================================
    // 2. Chat turns at 200 concurrent sessions; 1,000 concurrent SSE streams
    // =====================================================================================================

    record Sample(double ms, int status, double attemptMs, boolean ok, String problem) {
    }

    static void turns(Path jar) throws Exception {
        int clients = env("SESSIONS", 200);
        int turnsPerSession = env("TURNS", 5);
        int history = 50;
        int sequential = env("SEQUENTIAL", 100);
        int modelMs = env("MODEL_MS", 200);
        int streams = env("STREAMS", 1000);
        int holdSeconds = env("HOLD_S", 15);
        int rampMs = env("RAMP_MS", 5000);
        String heap = System.getenv().getOrDefault("HEAP", "512m");
        int concurrentTurns = clients * turnsPerSession;
        int pacedTurns = env("PACED_TURNS", 3);
        int thinkMs = env("THINK_MS", 5000);

        try (FakeLlmServer fake = new FakeLlmServer().always(Behaviour.reply(FAKE_TEXT));
                App app = App.start(jar, "turns", fake.baseUrl(), List.of("-Xmx" + heap), List.of())) {
            Map<String, List<UUID>> sessions = new LinkedHashMap<>();
            long seedStart = System.nanoTime();
            try (Connection db = app.db()) {
                Owner owner = owner(db);
                sessions.put("warm", seed(db, owner, "warm", clients, history));
                sessions.put("seq", seed(db, owner, "seq", sequential, history));
                sessions.put("conc", seed(db, owner, "conc", concurrentTurns, history));
                sessions.put("slow", seed(db, owner, "slow", concurrentTurns, history));
                sessions.put("prof", seed(db, owner, "prof", concurrentTurns, history));
                sessions.put("paced", seed(db, owner, "paced", clients * pacedTurns, history));
                try (Statement analyze = db.createStatement()) {
                    analyze.execute("vacuum analyze chat_sessions, chat_messages");
                }
            }
            log("seeded %d sessions of %d messages in %.1f s", sessions.values().stream().mapToInt(List::size).sum(), history,
                    (System.nanoTime() - seedStart) / 1e9);

            // Warm-up (JIT, pools): turns on the warm-up sessions, completions, a few streams.
            List<UUID> warm = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                warm.addAll(sessions.get("warm"));
            }
            List<String> rows = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            Timed warmTurns = runTurns(app, warm, clients, false);
            log("warm-up: %s", summary(warmTurns));
            Timed warmCompletions = runCompletions(app, 3 * clients, clients, history);
            log("warm-up: %s", summary(warmCompletions));
            Timed warmStreams = runTurns(app, Collections.nCopies(100, null), 50, true);
            log("warm-up streams: %s", summary(warmStreams));
            notes.add(f(
                    "- warm-up, right after start-up (cold JVM), not in the table: %d turns from %d clients: %s; %d stateless completions: "
                            + "%s; 100 streams from 50 clients: %s", warm.size(), clients, summary(warmTurns), 3 * clients, summary(
                                    warmCompletions),
                    summary(warmStreams)));

            fake.reset();
            Phase seqChat = phase("`POST /api/chat`, 50-message history", 1, "at once", runTurns(app, sessions.get("seq"), 1, false), 0);
            Phase seqOpen = phase("`POST /v1/chat/completions` with the same 50 messages (stateless baseline)", 1, "at once",
                    runCompletions(app, sequential, 1, history), 0);
            Map<Integer, Integer> seen = messagesSeen(fake, sequential);
            fake.reset();

            Map<String, Double> before = metrics(app);
            Phase concChat = phase("`POST /api/chat`, 50-message history", clients, "at once",
                    runTurns(app, sessions.get("conc"), clients, false), 0);
            Map<String, Double> after = metrics(app);
            String pool = pool(before, after, concChat.samples.size());

            // Profile: JFR while the same 200-session load runs again on sessions of its own (model at once).
            Path jfr = WORK.resolve("turns.jfr");
            jcmd(app.process.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
            Timed profiled = runTurns(app, sessions.get("prof"), clients, false);
            jcmd(app.process.pid(), "JFR.stop", "name=bench");
            log("profiled: %s", summary(profiled));

            fake.always(Behaviour.slow(FAKE_TEXT, Duration.ofMillis(modelMs)));
            before = metrics(app);
            Phase slowChat = phase("`POST /api/chat`, 50-message history", clients, "after " + modelMs + " ms",
                    runTurns(app, sessions.get("slow"), clients, false), modelMs);
            after = metrics(app);
            String slowPool = pool(before, after, slowChat.samples.size());
            Phase slowOpen = phase("`POST /v1/chat/completions` with the same 50 messages (stateless baseline)", clients,
                    "after " + modelMs + " ms", runCompletions(app, concurrentTurns, clients, history), modelMs);

            // 200 sessions as people hold them: each client waits 0.4–1.6 × THINK_MS between its turns.
            Phase paced = phase("`POST /api/chat`, 50-message history, each session pausing " + f("%.1f–%.1f s", 0.4 * thinkMs / 1000,
                    1.6 * thinkMs / 1000) + " between turns", clients, "after " + modelMs + " ms",
                    pacedTurns(app, sessions.get("paced"), clients, thinkMs), modelMs);
            for (Phase p : List.of(seqChat, seqOpen, concChat, slowChat, slowOpen, paced)) {
                rows.add(p.row());
            }
            double slowP95 = pct(slowChat.ms(), 95) - modelMs;
            double slowExclP95 = pct(slowChat.excl(), 95);
            notes.add(f("- **200 concurrent sessions, model answering after %d ms: p95 of (client latency − %d ms) = %.1f ms → target "
                    + "< 30 ms %s**; p95 of (client latency − the model call as Switchboard timed it, `attempts[].latencyMs`) = %.1f ms; "
                    + "stateless `/v1/chat/completions` with the same 50 messages: p95 − %d ms = %.1f ms → the session/history/"
                    + "persistence stages add %+.1f ms at p95, %+.1f ms at p50",
                    modelMs, modelMs, slowP95, slowP95 < 30 ? "met" : "**missed**", slowExclP95, modelMs, pct(slowOpen.ms(), 95) - modelMs,
                    pct(slowChat.ms(), 95) - pct(slowOpen.ms(), 95), pct(slowChat.ms(), 50) - pct(slowOpen.ms(), 50)));
            notes.add(f("- **200 sessions pausing %.1f–%.1f s between turns (%.0f turns/s offered on average), model after %d ms: p95 of "
                    + "(client latency − %d ms) = %.1f ms → target < 30 ms %s**; p95 of (client latency − `attempts[].latencyMs`) = %.1f ms",
                    0.4 * thinkMs / 1000, 1.6 * thinkMs / 1000, clients * 1000.0 / (thinkMs + modelMs), modelMs, modelMs,
                    pct(paced.ms(), 95) - modelMs, pct(paced.ms(), 95) - modelMs < 30 ? "met" : "**missed**", pct(paced.excl(), 95)));
            notes.add(f("- 200 concurrent sessions, model answering at once (client latency = all of the server's time plus the fake's "
                    + "~0 ms): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms at %.0f turns/s → target < 30 ms %s; the same turn alone "
                    + "(one client): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (stateless baseline alone: p50 %.1f ms, p95 %.1f ms)",
                    pct(concChat.ms(), 50), pct(concChat.ms(), 95), pct(concChat.ms(), 99), concChat.rate(),
                    pct(concChat.ms(), 95) < 30 ? "met" : "**missed**",
                    pct(seqChat.ms(), 50), pct(seqChat.ms(), 95), pct(seqChat.ms(), 99), pct(seqOpen.ms(), 50), pct(seqOpen.ms(), 95)));
            notes.add("- what the model was sent for the sequential turns (messages per request → requests; system + 50 history + "
                    + "the new message = 52): " + seen);
            notes.add("- database connections (Hikari, pool of 20) during the 200-session phases: model at once: " + pool
                    + "; model after " + modelMs + " ms: " + slowPool);
            notes.add(f(
                    "- profile: JFR (`settings=profile`, execution samples of the Switchboard JVM only) during a further %d turns from %d "
                            + "clients, model at once (%s):", profiled.samples().size(), clients, summary(profiled)));
            notes.addAll(profile(jfr));

            // 1,000 concurrent SSE streams, held open by a slow first token.
            fake.reset();
            fake.always(Behaviour.slowFirstToken(FAKE_TEXT, Duration.ofSeconds(holdSeconds)));
            notes.addAll(streams(app, fake, streams, holdSeconds, rampMs, heap));
            System.out.println("| phase | clients | model answers | turns | failed | turns/s | p50 ms | p95 ms | p99 ms | max ms "
                    + "| model call as Switchboard timed it (`attempts[].latencyMs`) p50 / p95 ms | p50 / p95 / p99 minus the model's time ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
            System.out.println();
            notes.forEach(System.out::println);
        }
    }

    record Phase(String label, int clients, String model, List<Sample> samples, double wall, int modelMs) {

        double[] ms() {
            return samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        }

        double[] excl() {
            return samples.stream().filter(Sample::ok).mapToDouble(s -> s.ms() - s.attemptMs()).toArray();
        }

        double rate() {
            return samples.size() / wall;
        }

        long failed() {
            return samples.stream().filter(s -> !s.ok()).count();
        }

        String row() {
            double[] ms = ms();
            double[] excl = excl();
            String minus = modelMs > 0
                    ? f("%.1f / %.1f / %.1f (− %d ms); %.1f / %.1f / %.1f (− attempt latencyMs)", pct(ms, 50) - modelMs, pct(ms, 95)
                            - modelMs,
                            pct(ms, 99) - modelMs, modelMs, pct(excl, 50), pct(excl, 95), pct(excl, 99))
                    : f("%.1f / %.1f / %.1f (− attempt latencyMs)", pct(excl, 50), pct(excl, 95), pct(excl, 99));
            double[] call = samples.stream().filter(Sample::ok).mapToDouble(Sample::attemptMs).toArray();
            return f("| %s | %d | %s | %d | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f / %.0f | %s |", label, clients, model, samples
                    .size(),
                    failed() == 0 ? "0" : "**" + failed() + "** " + problems(samples), rate(), pct(ms, 50), pct(ms, 95), pct(ms, 99),
                    Arrays.stream(ms).max().orElse(Double.NaN), pct(call, 50), pct(call, 95), minus);
        }
    }

    static Phase phase(String label, int clients, String model, Timed timed, int modelMs) {
        Phase phase = new Phase(label, clients, model, timed.samples, timed.wall, modelMs);
        log("%s, %d clients, model %s: %s", label, clients, model, summary(timed));
        return phase;
    }

    record Timed(List<Sample> samples, double wall) {
    }

    static String summary(Timed timed) {
        double[] ms = timed.samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        long failed = timed.samples.stream().filter(s -> !s.ok()).count();
        return f("%d requests, %s, %.0f/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", timed.samples.size(),
                failed == 0 ? "0 failed" : "**" + failed + " failed** " + problems(timed.samples), timed.samples.size() / timed.wall,
                pct(ms, 50), pct(ms, 95), pct(ms, 99));
    }

    static String problems(List<Sample> samples) {
        Map<String, Long> counts = samples.stream().filter(s -> !s.ok())
                .collect(Collectors.groupingBy(s -> s.status() + " " + s.problem(), TreeMap::new, Collectors.counting()));
        return counts.isEmpty() ? "" : counts.toString();
    }

    /** One turn per entry of {@code sessions} (null: a new session), from {@code clients} closed-loop clients. */
    static Timed runTurns(App app, List<UUID> sessions, int clients, boolean stream) throws Exception {
        return closedLoop(sessions.size(), clients, i -> {
            UUID session = sessions.get(i);
            String body = "{\"agent\":\"bench\",\"message\":\"Turn " + i + ": what should I do next?\""
                    + (session == null ? "" : ",\"sessionId\":\"" + session + "\"") + "}";
            long t = System.nanoTime();
            if (stream) {
                StreamResult r = stream(app, body);
                double ms = (System.nanoTime() - t) / 1e6;
                return new Sample(ms, r.status, r.attemptMs, r.ok(), r.problem());
            }
            HttpResponse<String> response = post(app.base + "/api/chat", body, app.key, null);
            double ms = (System.nanoTime() - t) / 1e6;
            return sample(ms, response, "message");
        });
    }

    /** Each client takes turns on its own share of {@code sessions} (one turn each), pausing 0.4–1.6 × thinkMs before each. */
    static Timed pacedTurns(App app, List<UUID> sessions, int clients, int thinkMs) throws Exception {
        Sample[] samples = new Sample[sessions.size()];
        long t = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    for (int i = client; i < sessions.size(); i += clients) {
                        Thread.sleep((long) (thinkMs * (0.4 + 1.2 * ThreadLocalRandom.current().nextDouble())));
                        String body = "{\"agent\":\"bench\",\"message\":\"Turn " + i + ": what should I do next?\",\"sessionId\":\""
                                + sessions.get(i) + "\"}";
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response = post(app.base + "/api/chat", body, app.key, null);
                            samples[i] = sample((System.nanoTime() - start) / 1e6, response, "message");
                        }
                        catch (Exception ex) {
                            samples[i] = new Sample(Double.NaN, -1, 0, false, ex.getClass().getSimpleName());
                        }
                    }
                    return null;
                });
            }
        }
        return new Timed(List.of(samples), (System.nanoTime() - t) / 1e9);
    }

    static Timed runCompletions(App app, int requests, int clients, int history) throws Exception {
        return closedLoop(requests, clients, i -> {
            StringBuilder body = new StringBuilder("{\"model\":\"bench\",\"messages\":[");
            for (int seq = 1; seq <= history; seq++) {
                body.append("{\"role\":\"").append(seq % 2 == 1 ? "user" : "assistant").append("\",\"content\":\"")
                        .append(content(seq, "completion-" + i)).append("\"},");
            }
            body.append("{\"role\":\"user\",\"content\":\"Turn ").append(i).append(": what should I do next?\"}]}");
            long t = System.nanoTime();
            HttpResponse<String> response = post(app.base + "/v1/chat/completions", body.toString(), app.key, null);
            double ms = (System.nanoTime() - t) / 1e6;
            return sample(ms, response, "choices");
        });
    }

    /** The seeded content of message {@code seq} (the same template as the SQL seed). */
    static String content(int seq, String title) {
        return seq % 2 == 1 ? "Question " + seq + " in session " + title + ": " + "what about the next step? ".repeat(4)
                : "Answer " + seq + " in session " + title + ": " + "Here is a careful explanation of that step. ".repeat(8);
    }

    static Sample sample(double ms, HttpResponse<String> response, String shape) {
        try {
            JsonNode json = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                return new Sample(ms, response.statusCode(), 0, false, json.has("type") ? json.path("type").asString() : json.path("error")
                        .path("code").asString());
            }
            String content = shape.equals("message") ? json.path("message").path("content").asString()
                    : json.path("choices").path(0).path("message").path("content").asString();
            JsonNode attempts = shape.equals("message") ? json.path("attempts") : json.path("switchboard").path("attempts");
            double attemptMs = 0;
            for (JsonNode attempt : attempts) {
                attemptMs += attempt.path("latencyMs").asDouble();
            }
            boolean ok = FAKE_TEXT.equals(content);
            return new Sample(ms, 200, attemptMs, ok, ok ? null : "unexpected content");
        }
        catch (RuntimeException notJson) {
            return new Sample(ms, response.statusCode(), 0, false, "not JSON");
        }
    }

    interface Request {
        Sample run(int i) throws Exception;
    }

    static Timed closedLoop(int requests, int clients, Request request) throws Exception {
        Sample[] samples = new Sample[requests];
        AtomicInteger next = new AtomicInteger();
        long t = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests;) {
                        try {
                            samples[i] = request.run(i);
                        }
                        catch (Exception ex) {
                            samples[i] = new Sample(Double.NaN, -1, 0, false, ex.getClass().getSimpleName());
                        }
                    }
                    return null;
                });
            }
        }
        return new Timed(List.of(samples), (System.nanoTime() - t) / 1e9);
    }

    /** How many messages the fake was sent per request (system + history + new message). */
    static Map<Integer, Integer> messagesSeen(FakeLlmServer fake, int expected) {
        Map<Integer, Integer> counts = new TreeMap<>();
        fake.received().stream().filter(r -> r.path().contains("chat/completions"))
                .forEach(r -> counts.merge(r.body().path("messages").size(), 1, Integer::sum));
        return counts;
    }

    static String pool(Map<String, Double> before, Map<String, Double> after, int turns) {
        double acquires = delta(before, after, "hikaricp_connections_acquire_seconds_count");
        double acquireSeconds = delta(before, after, "hikaricp_connections_acquire_seconds_sum");
        double usages = delta(before, after, "hikaricp_connections_usage_seconds_count");
        double usageSeconds = delta(before, after, "hikaricp_connections_usage_seconds_sum");
        double timeouts = delta(before, after, "hikaricp_connections_timeout_total");
        return f("%.1f connection check-outs per request, mean wait for a connection %.2f ms, mean time held %.2f ms, %.0f "
                + "check-out timeouts", acquires / turns, 1000 * acquireSeconds / Math.max(1, acquires), 1000 * usageSeconds / Math.max(1,
                        usages),
                timeouts);
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String prefix) {
        return sum(after, prefix) - sum(before, prefix);
    }

    /** Sum of every series of a metric (the application's data source only; the migration pool sits idle). */
    static double sum(Map<String, Double> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> !e.getKey().contains("migration")).mapToDouble(Map.Entry::getValue).sum();
    }

    static Map<String, Double> metrics(App app) throws Exception {
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

    record StreamResult(int status, int deltas, boolean done, String error, String text, double firstByteMs, double attemptMs) {

        boolean ok() {
            return status == 200 && done && FAKE_TEXT.equals(text);
        }

        String problem() {
            return ok() ? null : error != null ? error : done ? "unexpected text" : "no done event";
        }
    }

    static StreamResult stream(App app, String body) throws Exception {
        long t = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.base + "/api/chat")).timeout(Duration.ofSeconds(300))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + app.key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.util.stream.Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        double firstByte = (System.nanoTime() - t) / 1e6;
        int deltas = 0;
        boolean done = false;
        String error = null;
        StringBuilder text = new StringBuilder();
        double attemptMs = 0;
        String event = null;
        List<String> lines = response.body().toList();
        if (response.statusCode() != 200) {
            String all = String.join("\n", lines);
            try {
                error = JSON.readTree(all).path("type").asString();
            }
            catch (RuntimeException notJson) {
                error = all.length() > 80 ? all.substring(0, 80) : all;
            }
            return new StreamResult(response.statusCode(), 0, false, error, "", firstByte, 0);
        }
        for (String line : lines) {
            if (line.startsWith("event: ")) {
                event = line.substring(7).strip();
            }
            else if (line.startsWith("data: ")) {
                JsonNode data = JSON.readTree(line.substring(6));
                switch (event == null ? "" : event) {
                    case "delta" -> {
                        deltas++;
                        text.append(data.path("text").asString());
                    }
                    case "done" -> {
                        done = true;
                        for (JsonNode attempt : data.path("attempts")) {
                            attemptMs += attempt.path("latencyMs").asDouble();
                        }
                    }
                    case "error" -> error = "error event: " + data.path("type").asString();
                    default -> {
                    }
                }
            }
        }
        return new StreamResult(200, deltas, done, error, text.toString(), firstByte, attemptMs);
    }

    static List<String> streams(App app, FakeLlmServer fake, int streams, int holdSeconds, int rampMs, String heap) throws Exception {
        log("%d SSE streams, started over %d ms, first token after %d s", streams, rampMs, holdSeconds);
        StreamResult[] results = new StreamResult[streams];
        double[] totalMs = new double[streams];
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        int fakePort = URI.create(fake.baseUrl()).getPort();
        int appPort = URI.create(app.base).getPort();
        List<String> timeline = Collections.synchronizedList(new ArrayList<>());
        AtomicLong maxHeap = new AtomicLong();
        AtomicInteger maxAtFake = new AtomicInteger();
        AtomicInteger maxAtApp = new AtomicInteger();
        jcmd(app.process.pid(), "GC.run");
        String idleHeap = firstLines(jcmd(app.process.pid(), "GC.heap_info"), 1);
        long start = System.nanoTime();
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        monitor.scheduleAtFixedRate(() -> {
            try {
                long heapUsed = (long) metrics(app).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("jvm_memory_used_bytes{") && e.getKey().contains("area=\"heap\""))
                        .mapToDouble(Map.Entry::getValue).sum();
                maxHeap.accumulateAndGet(heapUsed, Math::max);
                int atFake = established(fakePort);
                int atApp = established(appPort);
                maxAtFake.accumulateAndGet(atFake, Math::max);
                maxAtApp.accumulateAndGet(atApp, Math::max);
                timeline.add(f("%.0f s: %d open, %d connections to Switchboard, %d to the fake (%d requests received), heap %d MB",
                        (System.nanoTime() - start) / 1e9, open.get(), atApp, atFake, fake.received().size(), heapUsed >> 20));
            }
            catch (Exception ex) {
                timeline.add("monitor: " + ex);
            }
        }, 1, 1, TimeUnit.SECONDS);
        String heapInfo;
        String heapAfterGc;
        String histogram;
        long rss;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                int n = i;
                clients.submit(() -> {
                    Thread.sleep((long) n * rampMs / streams);
                    open.incrementAndGet();
                    maxOpen.accumulateAndGet(open.get(), Math::max);
                    long t = System.nanoTime();
                    try {
                        results[n] = stream(app, "{\"agent\":\"bench\",\"message\":\"Stream " + n + ": tell me a story.\"}");
                    }
                    catch (Exception ex) {
                        results[n] = new StreamResult(-1, 0, false, ex.getClass().getSimpleName(), "", 0, 0);
                    }
                    totalMs[n] = (System.nanoTime() - t) / 1e6;
                    open.decrementAndGet();
                    return null;
                });
            }
            // Mid-hold: heap as the JVM sees it, then the live set after a full collection, all streams open.
            Thread.sleep(rampMs + holdSeconds * 1000L / 2);
            heapInfo = firstLines(jcmd(app.process.pid(), "GC.heap_info"), 2);
            rss = rssKb(app.process.pid());
            jcmd(app.process.pid(), "GC.run");
            heapAfterGc = firstLines(jcmd(app.process.pid(), "GC.heap_info"), 2);
            histogram = jcmd(app.process.pid(), "GC.class_histogram");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        monitor.shutdownNow();
        List<String> notes = new ArrayList<>();
        long ok = Arrays.stream(results).filter(StreamResult::ok).count();
        Map<String, Long> failures = Arrays.stream(results).filter(r -> !r.ok())
                .collect(Collectors.groupingBy(r -> r.status() + " " + r.problem(), TreeMap::new, Collectors.counting()));
        double[] okMs = java.util.stream.IntStream.range(0, streams).filter(i -> results[i].ok()).mapToDouble(i -> totalMs[i]).toArray();
        double[] firstByte = Arrays.stream(results).filter(StreamResult::ok).mapToDouble(StreamResult::firstByteMs).toArray();
        long doneEvents = Arrays.stream(results).filter(StreamResult::done).count();
        notes.add(f("- **%d concurrent SSE streams (`POST /api/chat`, `Accept: text/event-stream`, new sessions, started over %.1f s; the "
                + "fake sends its first token after %d s) with -Xmx%s: %d `done` events, %d complete streams (%s) → %s**; most streams "
                + "open at once (client side): %d; most connections established to Switchboard: %d, from Switchboard to the fake: %d; "
                + "took %.1f s",
                streams, rampMs / 1000.0, holdSeconds, heap, doneEvents, ok, failures.isEmpty() ? "none failed" : "failed: " + failures,
                ok == streams ? "all complete" : "**not all complete**", maxOpen.get(), maxAtApp.get(), maxAtFake.get(), wall));
        notes.add(f("  - complete streams: time to response headers p50 %.0f ms, p99 %.0f ms; whole stream p50 %.0f ms, p99 %.0f ms, "
                + "max %.0f ms (a stream cannot finish before %d s)", pct(firstByte, 50), pct(firstByte, 99), pct(okMs, 50), pct(okMs, 99),
                Arrays.stream(okMs).max().orElse(Double.NaN), holdSeconds));
        long idleKb = usedKb(idleHeap);
        long openKb = usedKb(heapAfterGc);
        notes.add(f("  - heap: most used (sampled every second from `/metrics`, `jvm_memory_used_bytes{area=\"heap\"}`) %d MB; "
                + "mid-hold `jcmd GC.heap_info`: `%s`; after a full GC (`jcmd GC.run`, the live set with the streams open): `%s`; the "
                + "same after a full GC just before the streams: `%s` → **about %.0f KB of live heap per open stream**; process RSS "
                + "mid-hold %d MB", maxHeap.get() >> 20, heapInfo, heapAfterGc, idleHeap, (openKb - idleKb) / (double) streams, rss >> 10));
        notes.add("  - largest classes on the heap mid-hold (`jcmd GC.class_histogram`, after the full GC): " + topClasses(histogram, 8));
        notes.add("  - timeline: " + String.join("; ", thin(timeline, 12)));
        return notes;
    }

    /** "class MB (instances)" of the {@code n} largest lines of a class histogram. */
    static String topClasses(String histogram, int n) {
        return histogram.lines().map(String::strip).filter(l -> l.matches("\\d+:\\s+\\d+\\s+\\d+\\s+\\S+.*")).limit(n)
                .map(l -> l.split("\\s+")).map(c -> f("`%s` %.1f MB (%s)", c[3], Long.parseLong(c[2]) / 1048576.0, c[1]))
                .collect(Collectors.joining(", "));
    }

    static long usedKb(String heapInfo) {
        Matcher used = Pattern.compile("used (\\d+)K").matcher(heapInfo);
        return used.find() ? Long.parseLong(used.group(1)) : 0;
    }

    static List<String> thin(List<String> all, int most) {
        if (all.size() <= most) {
            return all;
        }
        List<String> some = new ArrayList<>();
        for (int i = 0; i < most; i++) {
            some.add(all.get(i * (all.size() - 1) / (most - 1)));
        }
        return some;
    }

    static String firstLines(String text, int n) {
        return text.lines().skip(1).limit(n).map(String::strip).collect(Collectors.joining(" / "));
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** Established TCP connections whose local port is {@code port} (the server side), from /proc/net/tcp. */
    static int established(int port) throws IOException {
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

    // =====================================================================================================
    // 3. History pages in a database of 1,000,000 messages
    // =====================================================================================================

    static void history(Path jar) throws Exception {
        int sessionCount = env("HISTORY_SESSIONS", 2000);
        int perSession = env("MESSAGES_PER_SESSION", 500);
        int requests = env("REQUESTS", 2000);
        int concurrency = env("CONCURRENCY", 16);
        int limit = 50;
        try (FakeLlmServer fake = new FakeLlmServer().always(Behaviour.reply(FAKE_TEXT));
                App app = App.start(jar, "history", fake.baseUrl(), List.of(), List.of())) {
            List<UUID> sessions;
            String explain;
            long seedMs;
            long total;
            String sizes;
            try (Connection db = app.db()) {
                Owner owner = owner(db);
                long t = System.nanoTime();
                sessions = seedInterleaved(db, owner, sessionCount, perSession);
                seedMs = (System.nanoTime() - t) / 1_000_000;
                try (Statement s = db.createStatement()) {
                    s.execute("vacuum analyze chat_sessions, chat_messages");
                    ResultSet count = s.executeQuery("select count(*) from chat_messages");
                    count.next();
                    total = count.getLong(1);
                    ResultSet size = s.executeQuery("select pg_size_pretty(pg_table_size('chat_messages')), "
                            + "pg_size_pretty(pg_indexes_size('chat_messages')), current_setting('shared_buffers')");
                    size.next();
                    sizes = f("table %s, indexes %s, shared_buffers %s", size.getString(1), size.getString(2), size.getString(3));
                }
                log("seeded %d messages in %d sessions in %.1f s (%d messages in the table; %s)", (long) sessionCount * perSession,
                        sessionCount, seedMs / 1000.0, total, sizes);
                explain = explain(db, owner, sessions.get(sessionCount / 2), perSession / 2, limit);
            }
            Request page = i -> {
                UUID session = sessions.get(ThreadLocalRandom.current().nextInt(sessions.size()));
                int after = ThreadLocalRandom.current().nextInt(perSession - limit + 1);
                long t = System.nanoTime();
                HttpResponse<String> response = get(app.base + "/api/sessions/" + session + "/messages?after=" + after + "&limit=" + limit,
                        app.key);
                double ms = (System.nanoTime() - t) / 1e6;
                return new Sample(ms, response.statusCode(), 0, validPage(response, after, limit), null);
            };
            Request me = i -> timedGet(app.base + "/api/auth/me", app.key);
            Request live = i -> timedGet(app.base + "/health/live", null);
            log("warm-up");
            interleaved(List.of(page, me, live), requests / 4);
            closedLoop(requests / 2, concurrency, i -> page.run(i));
            log("one client, the three requests taking turns, %d each", requests);
            List<List<Sample>> seq = interleaved(List.of(page, me, live), requests);
            log("%d clients", concurrency);
            Timed concPage = closedLoop(requests * 2, concurrency, i -> page.run(i));
            Timed concMe = closedLoop(requests * 2, concurrency, i -> me.run(i));

            String[] labels = {"`GET /api/sessions/{id}/messages?after=<random>&limit=50` (random session)",
                    "baseline `GET /api/auth/me` (same API key)", "baseline `GET /health/live` (no authentication)"};
            System.out.println("| clients | request | requests | failed | req/s | p50 ms | p95 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (int i = 0; i < 3; i++) {
                System.out.println(historyRow(1, labels[i], new Timed(seq.get(i), Double.NaN)));
            }
            System.out.println(historyRow(concurrency, labels[0], concPage));
            System.out.println(historyRow(concurrency, labels[1], concMe));
            System.out.println();
            double[] pageMs = seq.get(0).stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
            double[] meMs = seq.get(1).stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
            double p99 = pct(pageMs, 99);
            System.out.println(f("- **one client: history page p99 %.2f ms → target < 20 ms %s (seed's bound < 500 ms %s)**; added over "
                    + "`/api/auth/me` with the same key: p50 %+.2f ms, p99 %+.2f ms", p99, p99 < 20 ? "met" : "**missed**",
                    p99 < 500 ? "met" : "**missed**", pct(pageMs, 50) - pct(meMs, 50), p99 - pct(meMs, 99)));
            double[] concMs = concPage.samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
            System.out.println(f("- %d clients: history page p99 %.2f ms (→ < 20 ms %s) at %.0f pages/s", concurrency, pct(concMs, 99),
                    pct(concMs, 99) < 20 ? "met" : "**missed**", concPage.samples.size() / concPage.wall));
            System.out.println(f(
                    "- database: %d messages in `chat_messages` (%d sessions × %d, inserted round-robin across the sessions so "
                            + "that a page's rows lie on different heap pages, as concurrent conversations write them; seeded with SQL in %.0f s, "
                            + "then `VACUUM ANALYZE`); %s; the data fit the OS page cache (24 GB machine), so this is the warm case",
                    total, sessionCount, perSession, seedMs / 1000.0, sizes));
            System.out.println("- plan of the page query as the application role (row-level security on), a session in the middle, "
                    + "after=" + perSession / 2 + ": " + explain);
        }
    }

    static Sample timedGet(String url, String key) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> response = get(url, key);
        double ms = (System.nanoTime() - t) / 1e6;
        return new Sample(ms, response.statusCode(), 0, response.statusCode() == 200, null);
    }

    static List<List<Sample>> interleaved(List<Request> kinds, int each) throws Exception {
        List<List<Sample>> samples = new ArrayList<>();
        kinds.forEach(k -> samples.add(new ArrayList<>()));
        for (int i = 0; i < each; i++) {
            for (int k = 0; k < kinds.size(); k++) {
                samples.get(k).add(kinds.get(k).run(i));
            }
        }
        return samples;
    }

    static String historyRow(int clients, String label, Timed timed) {
        double[] ms = timed.samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        long failed = timed.samples.stream().filter(s -> !s.ok()).count();
        double rate = Double.isNaN(timed.wall) ? timed.samples.size() / (Arrays.stream(ms).sum() / 1000) : timed.samples.size()
                / timed.wall;
        return f("| %d | %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %.1f |", clients, label, timed.samples.size(),
                failed == 0 ? "0" : "**" + failed + "**", rate, pct(ms, 50), pct(ms, 95), pct(ms, 99), Arrays.stream(ms).max().orElse(
                        Double.NaN));
    }

    static boolean validPage(HttpResponse<String> response, int after, int limit) {
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode messages = JSON.readTree(response.body()).path("messages");
        if (messages.size() != limit) {
            return false;
        }
        for (int i = 0; i < limit; i++) {
            if (messages.path(i).path("seq").asLong() != after + 1 + i) {
                return false;
            }
        }
        return true;
    }

    static String explain(Connection db, Owner owner, UUID session, int after, int limit) throws Exception {
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("set local role switchboard_app");
            s.execute("select set_config('switchboard.tenant_id', '" + owner.tenant + "', true)");
            // The application's own query (ChatHistory.page), warm, then explained.
            String query = "select * from chat_messages where session_id = '" + session + "' and seq > " + after + " order by seq limit "
                    + limit;
            s.executeQuery(query).close();
            ResultSet plan = s.executeQuery("explain (analyze, buffers) " + query);
            List<String> lines = new ArrayList<>();
            while (plan.next()) {
                lines.add(plan.getString(1).strip());
            }
            return "`" + String.join(" / ", lines) + "`";
        }
        finally {
            db.rollback();
            db.setAutoCommit(true);
        }
    }

    // =====================================================================================================
    // Seeding (SQL, as the superuser: row-level security does not apply to it)
    // =====================================================================================================

    record Owner(UUID tenant, UUID user, UUID persona) {
    }

    static Owner owner(Connection db) throws Exception {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("select u.tenant_id, u.id, p.id from users u "
                        + "join personas p on p.tenant_id = u.tenant_id and p.slug = 'bench' and p.deleted_at is null where lower(u.email) = '"
                        + EMAIL + "'")) {
            if (!r.next()) {
                throw new IllegalStateException("no bench user/persona in the database");
            }
            return new Owner(r.getObject(1, UUID.class), r.getObject(2, UUID.class), r.getObject(3, UUID.class));
        }
    }

    static final String CONTENT_SQL = "case when g % 2 = 1 then 'Question ' || g || ' in session ' || s.title || ': ' || "
            + "repeat('what about the next step? ', 4) else 'Answer ' || g || ' in session ' || s.title || ': ' || "
            + "repeat('Here is a careful explanation of that step. ', 8) end";

    /** {@code count} sessions named prefix-1..count, each with {@code messages} messages; their ids in name order. */
    static List<UUID> seed(Connection db, Owner owner, String prefix, int count, int messages) throws Exception {
        try (PreparedStatement sessions = db.prepareStatement("insert into chat_sessions (tenant_id, user_id, persona_id, title, "
                + "expires_at) select ?, ?, ?, ? || '-' || n, now() + interval '1 day' from generate_series(1, ?) n");
                PreparedStatement insert = db.prepareStatement("insert into chat_messages (tenant_id, session_id, seq, role, content) "
                        + "select s.tenant_id, s.id, g, case when g % 2 = 1 then 'user' else 'assistant' end, " + CONTENT_SQL
                        + " from chat_sessions s cross join generate_series(1, ?) g where s.title like ? || '-%'")) {
            sessions.setObject(1, owner.tenant);
            sessions.setObject(2, owner.user);
            sessions.setObject(3, owner.persona);
            sessions.setString(4, prefix);
            sessions.setInt(5, count);
            sessions.executeUpdate();
            insert.setInt(1, messages);
            insert.setString(2, prefix);
            insert.executeUpdate();
        }
        return ids(db, prefix);
    }

    /** Like {@link #seed}, but the messages inserted round-robin across the sessions (seq-major order). */
    static List<UUID> seedInterleaved(Connection db, Owner owner, int count, int messages) throws Exception {
        try (PreparedStatement sessions = db.prepareStatement("insert into chat_sessions (tenant_id, user_id, persona_id, title, "
                + "expires_at) select ?, ?, ?, 'hist-' || n, now() + interval '1 day' from generate_series(1, ?) n");
                PreparedStatement insert = db.prepareStatement("insert into chat_messages (tenant_id, session_id, seq, role, content, "
                        + "created_at) select s.tenant_id, s.id, g, case when g % 2 = 1 then 'user' else 'assistant' end, " + CONTENT_SQL
                        + ", now() - interval '1 minute' * (? - g) from generate_series(1, ?) g cross join "
                        + "(select id, tenant_id, title, row_number() over (order by title) n from chat_sessions where title like 'hist-%') s "
                        + "order by g, s.n")) {
            sessions.setObject(1, owner.tenant);
            sessions.setObject(2, owner.user);
            sessions.setObject(3, owner.persona);
            sessions.setInt(4, count);
            sessions.executeUpdate();
            insert.setInt(1, messages);
            insert.setInt(2, messages);
            insert.executeUpdate();
        }
        return ids(db, "hist");
    }

    static List<UUID> ids(Connection db, String prefix) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement s = db.prepareStatement("select id from chat_sessions where title like ? || '-%' "
                + "order by length(title), title")) {
            s.setString(1, prefix);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    // =====================================================================================================
    // Switchboard as a child process
    // =====================================================================================================

    static final class App implements AutoCloseable {

        Process process;
        final String base;
        final int dbPort;
        final Path data;
        String key;
        /** The bootstrap admin's access token from start-up (short-lived). */
        String token;
        /** The bootstrap admin's password, for a browser signing in. */
        String password;
        private List<String> command;
        private Path log;

        private App(Process process, String base, int dbPort, Path data) {
            this.process = process;
            this.base = base;
            this.dbPort = dbPort;
            this.data = data;
        }

        static App start(Path jar, String name, String fakeUrl, List<String> jvmArgs, List<String> extra) throws Exception {
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
        void restart() throws Exception {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            long t = System.nanoTime();
            waitReady(log);
            log("Switchboard restarted, ready after %.1f s", (System.nanoTime() - t) / 1e9);
        }

        Connection db() throws Exception {
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/switchboard", "postgres", "");
        }

        void waitReady(Path log) throws Exception {
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

    // =====================================================================================================
    // HTTP and statistics
    // =====================================================================================================

    /** {@code mustSucceed}: anything but 2xx is an error. */
    static HttpResponse<String> post(String url, String json, String bearer, Boolean mustSucceed) throws Exception {
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

    static HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> response, int status, String text) {
        if (response.statusCode() != status || !response.body().contains(text)) {
            throw new IllegalStateException("unexpected answer " + response.statusCode() + ": " + response.body());
        }
    }

    static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }

    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
