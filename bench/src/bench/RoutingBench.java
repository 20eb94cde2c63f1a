package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;
import static bench.support.Verdicts.verdict;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import bench.support.App;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;

/**
 * Routing overhead (bench/routing-overhead.sh): the same load straight at the fake provider and through Switchboard's {@code POST /v1/chat/completions}, with wrk, and a JFR profile of Switchboard under load.
 */
public class RoutingBench {

    /** Arguments: the Switchboard jar, a private work directory, the output directory. */
    public static void main(String[] args) throws Exception {
        routing(init(args));
        System.exit(0);
    }

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
                                verdict(addedP50 < 1, v.errorCount() + d.errorCount()), addedP99,
                                verdict(addedP99 < 3, v.errorCount() + d.errorCount())));
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
                            + "Switchboard ≤ %.2f ms (%d cores ÷ req/s, wrk's and the fake's share included); new TCP connections "
                            + "Switchboard opened to the provider: %.1f per 1,000 requests; wrk opened %d connections to Switchboard "
                            + "in its %d runs of %d connections (%d to the fake directly)",
                            entry.getKey() == 1 ? "1 connection" : entry.getKey() + " connections", addedP50,
                            verdict(addedP50 < 1, via.errorCount() + direct.errorCount()), addedP99,
                            verdict(addedP99 < 3, via.errorCount() + direct.errorCount()),
                            via.rps() / direct.rps(), via.rps(), direct.rps(), me.pct(50), live.pct(50),
                            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors() * 1000.0 / via.rps(),
                            1000.0 * via.upstream() / via.requests(), via.downstream(), rounds, entry.getKey(),
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

}
