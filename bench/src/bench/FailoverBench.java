package bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * LLM failover under concurrent load (bench/failover.sh runs it). Starts the fake providers in this JVM — a
 * healthy primary, a healthy secondary, one answering 500, one answering only after 3 s (longer than the 1 s
 * timeout), and a port nobody listens on — then Switchboard as a child process (java -jar) with every fake
 * configured as a provider, twice: once with the circuit breaker effectively off (the raw cost of failing over
 * on every request) and once with the default breaker. Each scenario drives {@code POST /api/providers/test}
 * with the chain {@code <first>:gpt-bench,secondary:gpt-bench}; every fault has its own provider id, so its
 * circuit breaker starts closed. Before that, the first requests after start-up are measured on their own
 * ({@code c-*} providers: a cold JVM), and {@code w-*} providers pointing at the same fakes warm every path up
 * without touching the measured breakers. The baseline and the three faults then take turns in rounds.
 * <p>
 * Prints markdown figure lines (prefixed {@code | } and {@code - }) for bench/failover.sh to append.
 */
public class FailoverBench {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String PRIMARY_TEXT = "Answer from the primary.";
    static final String SECONDARY_TEXT = "Answer from the secondary.";
    static final long TIMEOUT_MS = 1000;
    static final int ROUNDS = 5;
    static int CONCURRENCY;

    /** A chain of two providers; {@code faulty}: the first one is down, the second must answer. */
    record Scenario(String name, String first, String second, boolean faulty, String label) {

        String chain() {
            return first + ":gpt-bench," + second + ":gpt-bench";
        }

        String firstTarget() {
            return first + ":gpt-bench";
        }

        /**
         * Whether a request succeeded: 200 with the answering fake's text, from the second provider when the first
         * is faulty. A healthy first provider answered by the second one is a (needless) failover, not a failure.
         */
        boolean ok(Sample s) {
            if (s.status() != 200 || s.target() == null) {
                return false;
            }
            String id = s.target().replace(":gpt-bench", "");
            if (!id.equals(second) && (faulty || !id.equals(first))) {
                return false;
            }
            return (id.endsWith("primary") ? PRIMARY_TEXT : SECONDARY_TEXT).equals(s.content());
        }
    }

    static final Scenario COLD = new Scenario("cold", "c-primary", "c-secondary", false,
            "cold start: the first requests after ready, primary healthy");

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("baseline", "primary", "secondary", false, "baseline: primary healthy"),
            new Scenario("refused", "refusing", "secondary", true, "primary refusing connections"),
            new Scenario("error500", "erroring", "secondary", true, "primary answering 500"),
            new Scenario("timeout", "stalling", "secondary", true, "primary timing out (answers after 3 s, timeout 1 s)"));

    record Try(String target, String outcome, long latencyMs) {
    }

    record Sample(double ms, int status, String target, String content, List<Try> attempts) {
    }

    record Result(Scenario scenario, List<Sample> samples, double wallSeconds, int failed) {

        double[] latencies(Predicate<Sample> which) {
            return samples.stream().filter(which).mapToDouble(Sample::ms).toArray();
        }
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        Path data = Path.of(args[1]);
        Path logs = Path.of(args[2]);
        int requests = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        CONCURRENCY = concurrency;

        try (FakeLlmServer primary = new FakeLlmServer().always(Behaviour.reply(PRIMARY_TEXT));
                FakeLlmServer secondary = new FakeLlmServer().always(Behaviour.reply(SECONDARY_TEXT));
                FakeLlmServer erroring = new FakeLlmServer().always(Behaviour.serverError());
                FakeLlmServer stalling = new FakeLlmServer().always(Behaviour.slow("Too late.", Duration.ofSeconds(3)))) {
            String refusing = "http://127.0.0.1:" + unusedPort();
            Map<String, String> providers = new TreeMap<>();
            for (String prefix : List.of("", "w-", "c-")) {
                providers.put(prefix + "primary", primary.baseUrl());
                providers.put(prefix + "secondary", secondary.baseUrl());
            }
            for (String prefix : List.of("", "w-")) {
                providers.put(prefix + "refusing", refusing);
                providers.put(prefix + "erroring", erroring.baseUrl());
                providers.put(prefix + "stalling", stalling.baseUrl());
            }

            // Both launches share the data directory; the admin is created by the first one only.
            String password = "bench-admin-password-" + System.nanoTime();
            List<String> table = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (boolean breaker : new boolean[] {false, true}) {
                String config = breaker ? "default breaker" : "breaker off";
                List<String> breakerArgs = breaker ? List.of()
                        : List.of("--switchboard.llm.breaker.minimum-calls=100000", "--switchboard.llm.breaker.sliding-window-size=100000");
                int port = unusedPort();
                String base = "http://127.0.0.1:" + port;
                Path log = logs.resolve("failover-app-" + (breaker ? "breaker" : "raw") + ".log");
                Process app = start(jar, data, port, password, providers, breakerArgs, log);
                Runtime.getRuntime().addShutdownHook(new Thread(app::destroy));
                try {
                    long t = System.nanoTime();
                    waitReady(base + "/health/ready", app, log);
                    System.err.printf("[%s] ready after %d ms%n", config, (System.nanoTime() - t) / 1_000_000);
                    String token = JSON.readTree(post(base + "/api/auth/login",
                            "{\"email\":\"bench@example.test\",\"password\":\"" + password + "\"}", null).body())
                            .get("accessToken").asString();

                    Result cold = measure(base, token, COLD, 4 * concurrency, concurrency);
                    System.err.printf("[%s] %s: %s%n", config, COLD.name(), summary(cold));
                    table.add(row(config, cold, null));
                    notes.addAll(notes(config, cold, null, breaker));

                    // Warm-up: the healthy path, then each failure path, through the w-* providers.
                    warm(config, base, token, new Scenario("warm", "w-primary", "w-secondary", false, ""), 32 * concurrency, concurrency);
                    warm(config, base, token, new Scenario("warm", "w-secondary", "w-primary", false, ""), 8 * concurrency, concurrency);
                    for (String fault : List.of("w-refusing", "w-erroring", "w-stalling")) {
                        warm(config, base, token, new Scenario("warm", fault, "w-secondary", true, ""),
                                fault.equals("w-stalling") ? 3 * concurrency : 8 * concurrency, concurrency);
                    }

                    // The scenarios take turns in rounds, so that what still drifts (JIT, GC, the shared cores)
                    // weighs on the baseline and the faults alike.
                    List<List<Sample>> samples = new ArrayList<>();
                    double[] wall = new double[SCENARIOS.size()];
                    SCENARIOS.forEach(scenario -> samples.add(new ArrayList<>()));
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < SCENARIOS.size(); i++) {
                            Result batch = measure(base, token, SCENARIOS.get(i), requests / ROUNDS, concurrency);
                            samples.get(i).addAll(batch.samples());
                            wall[i] += batch.wallSeconds();
                        }
                    }
                    Result baseline = null;
                    for (int i = 0; i < SCENARIOS.size(); i++) {
                        Scenario scenario = SCENARIOS.get(i);
                        Result result = new Result(scenario, samples.get(i), wall[i],
                                (int) samples.get(i).stream().filter(sample -> !scenario.ok(sample)).count());
                        if (baseline == null) {
                            baseline = result;
                        }
                        System.err.printf("[%s] %s: %s%n", config, scenario.name(), summary(result));
                        table.add(row(config, result, baseline));
                        notes.addAll(notes(config, result, baseline, breaker));
                    }
                }
                finally {
                    stop(app);
                }
            }
            System.out.println("| configuration | scenario | requests | failed | p50 ms | p95 ms | p99 ms | req/s "
                    + "| answered by | primary attempts (outcome: count) | added vs baseline p50 / p99 ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            table.forEach(System.out::println);
            System.out.println();
            notes.forEach(System.out::println);
        }
    }

    // --- scenarios -----------------------------------------------------------------------------------------

    static Result measure(String base, String token, Scenario scenario, int requests, int concurrency) throws Exception {
        long t = System.nanoTime();
        List<Sample> samples = run(base, token, scenario.chain(), requests, concurrency);
        double wall = (System.nanoTime() - t) / 1e9;
        int failed = (int) samples.stream().filter(s -> !scenario.ok(s)).count();
        return new Result(scenario, samples, wall, failed);
    }

    static void warm(String config, String base, String token, Scenario scenario, int requests, int concurrency) throws Exception {
        Result result = measure(base, token, scenario, requests, concurrency);
        System.err.printf("[%s] warm-up %s: %s%n", config, scenario.chain(), summary(result));
    }

    /** {@code requests} requests from {@code concurrency} closed-loop clients. */
    static List<Sample> run(String base, String token, String chain, int requests, int concurrency) throws Exception {
        Sample[] samples = new Sample[requests];
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService clients = Executors.newFixedThreadPool(concurrency)) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests;) {
                        samples[i] = one(base, token, chain, i);
                    }
                    return null;
                });
            }
        }
        for (Sample sample : samples) {
            if (sample == null) {
                throw new IllegalStateException("a client failed; see above");
            }
        }
        return List.of(samples);
    }

    static Sample one(String base, String token, String chain, int i) {
        String body = "{\"prompt\":\"Benchmark request " + i + ": say hello.\",\"chain\":\"" + chain + "\"}";
        long t = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = post(base + "/api/providers/test", body, token);
        }
        catch (Exception ex) {
            return new Sample((System.nanoTime() - t) / 1e6, -1, null, null, List.of());
        }
        double ms = (System.nanoTime() - t) / 1e6;
        List<Try> attempts = new ArrayList<>();
        String target = null;
        String content = null;
        try {
            JsonNode json = JSON.readTree(response.body());
            for (JsonNode attempt : json.path("attempts")) {
                attempts.add(new Try(attempt.path("target").asString(), attempt.path("outcome").asString(),
                        attempt.path("latencyMs").asLong()));
            }
            if (response.statusCode() == 200) {
                target = json.path("target").asString();
                content = json.path("content").asString();
            }
        }
        catch (RuntimeException notJson) {
            // counted as failed: no target
        }
        return new Sample(ms, response.statusCode(), target, content, attempts);
    }

    // --- report --------------------------------------------------------------------------------------------

    static String summary(Result r) {
        double[] all = r.latencies(s -> true);
        return String.format(Locale.ROOT, "%d requests, %d failed, p50 %.1f ms, p99 %.1f ms, answered by %s, primary attempts %s",
                r.samples().size(), r.failed(), pct(all, 50), pct(all, 99), answeredBy(r), primaryOutcomes(r));
    }

    static String row(String config, Result r, Result baseline) {
        double[] all = r.latencies(s -> true);
        double[] base = baseline == null ? all : baseline.latencies(s -> true);
        String added = r == baseline || baseline == null ? "—" : String.format(Locale.ROOT, "%+.1f / %+.1f", pct(all, 50) - pct(base, 50),
                pct(all, 99) - pct(base, 99));
        return String.format(Locale.ROOT, "| %s | %s | %d | **%d** | %.1f | %.1f | %.1f | %.0f | %s | %s | %s |",
                config, r.scenario().label(), r.samples().size(), r.failed(), pct(all, 50), pct(all, 95), pct(all, 99),
                r.samples().size() / r.wallSeconds(), answeredBy(r), primaryOutcomes(r), added);
    }

    static List<String> notes(String config, Result r, Result baseline, boolean breaker) {
        if (baseline != null && !r.scenario().faulty()) {
            double[] answered = r.samples().stream().flatMap(s -> s.attempts().stream())
                    .filter(a -> a.target().equals(r.scenario().firstTarget()) && a.outcome().equals("answered"))
                    .mapToDouble(Try::latencyMs).toArray();
            long failovers = r.samples().stream().filter(s -> s.status() == 200 && !r.scenario().firstTarget().equals(s.target())).count();
            return List.of(String.format(Locale.ROOT, "- %s, %s: time Switchboard spent on the healthy primary per call (attempt "
                    + "latencyMs) p50 %.0f ms, p99 %.0f ms; %d failed, %d answered by the secondary",
                    config, r.scenario().label(), pct(answered, 50), pct(answered, 99), r.failed(), failovers));
        }
        if (baseline == null) {
            Map<String, Integer> outcomes = new TreeMap<>();
            r.samples().forEach(s -> s.attempts().forEach(a -> outcomes.merge(a.target() + " " + a.outcome(), 1, Integer::sum)));
            double[] spent = r.samples().stream().flatMap(s -> s.attempts().stream()).filter(a -> !a.outcome().equals("breaker_open"))
                    .mapToDouble(Try::latencyMs).toArray();
            return List.of(String.format(Locale.ROOT, "- %s, %s (%d requests from %d clients as soon as `/health/ready` says UP): "
                    + "%d failed; answers: %s; every attempt: %s; attempt latencyMs p50 %.0f, max %.0f",
                    config, r.scenario().label(), r.samples().size(), CONCURRENCY, r.failed(), statuses(r), join(outcomes),
                    pct(spent, 50), Arrays.stream(spent).max().orElse(0)));
        }
        List<String> notes = new ArrayList<>();
        String faulty = r.scenario().firstTarget();
        double[] base = baseline.latencies(s -> true);
        double[] all = r.latencies(s -> true);
        double budget = TIMEOUT_MS + 50;
        double addedP99 = pct(all, 99) - pct(base, 99);
        double addedP50 = pct(all, 50) - pct(base, 50);
        // Switchboard's own measure of the time spent on the failing primary (the attempt's latencyMs).
        double[] spent = r.samples().stream().flatMap(s -> s.attempts().stream())
                .filter(a -> a.target().equals(faulty) && !a.outcome().equals("breaker_open"))
                .mapToDouble(Try::latencyMs).toArray();
        String spentText = spent.length == 0 ? "no call reached it"
                : String.format(Locale.ROOT,
                        "time Switchboard spent on the failing primary per call (attempt latencyMs): p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                        pct(spent, 50), pct(spent, 99), Arrays.stream(spent).max().orElse(0));
        notes.add(String.format(Locale.ROOT, "- %s, %s: added latency vs the baseline p50 %+.1f ms, p99 %+.1f ms → %s the target "
                + "(≤ timeout + 50 ms = %.0f ms); %s; %d of %d requests failed",
                config, r.scenario().label(), addedP50, addedP99, addedP50 <= budget && addedP99 <= budget ? "meets" : "**misses**", budget,
                spentText,
                r.failed(), r.samples().size()));
        if (breaker) {
            Predicate<Sample> fastPath = s -> s.attempts().stream()
                    .anyMatch(a -> a.target().equals(faulty) && a.outcome().equals("breaker_open"));
            double[] skipped = r.latencies(fastPath);
            double[] tried = r.latencies(fastPath.negate());
            notes.add(String.format(Locale.ROOT, "  - breaker: %d requests called the primary before its breaker opened (p50 %.1f ms, "
                    + "p99 %.1f ms), %d went straight to the secondary with `breaker_open` (p50 %.1f ms, p99 %.1f ms, "
                    + "i.e. %+.1f ms over the baseline p50)",
                    tried.length, pct(tried, 50), pct(tried, 99), skipped.length, pct(skipped, 50), pct(skipped, 99),
                    pct(skipped, 50) - pct(base, 50)));
        }
        if (r.failed() > 0) {
            notes.add("  - answers by status and target: " + statuses(r));
        }
        return notes;
    }

    static String statuses(Result r) {
        Map<String, Integer> statuses = new TreeMap<>();
        r.samples().forEach(s -> statuses.merge(s.status() == 200 ? "200 from " + s.target() : "HTTP " + s.status(), 1, Integer::sum));
        return join(statuses);
    }

    static String answeredBy(Result r) {
        Map<String, Integer> split = new TreeMap<>();
        r.samples().forEach(s -> split.merge(s.status() == 200 ? s.target().replace(":gpt-bench", "").replaceFirst("^c-", "") : "HTTP " + s
                .status(), 1, Integer::sum));
        return join(split);
    }

    static String primaryOutcomes(Result r) {
        String faulty = r.scenario().firstTarget();
        Map<String, Integer> outcomes = new TreeMap<>();
        r.samples().forEach(s -> s.attempts().stream().filter(a -> a.target().equals(faulty))
                .forEach(a -> outcomes.merge(a.outcome(), 1, Integer::sum)));
        return join(outcomes);
    }

    static String join(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + ": " + v));
        return String.join(", ", parts);
    }

    static double pct(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1))];
    }

    // --- Switchboard as a child process --------------------------------------------------------------------

    static Process start(String jar, Path data, int port, String password, Map<String, String> providers,
            List<String> breakerArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar, "--switchboard.data-dir=" + data, "--server.port=" + port,
                "--switchboard.bootstrap.admin-email=bench@example.test", "--switchboard.bootstrap.admin-password=" + password,
                "--switchboard.metering.login-per-address-per-minute=100000",
                "--switchboard.metering.login-per-account-per-minute=100000",
                "--switchboard.metering.global-requests-per-second=1000000", "--switchboard.metering.default-tier=enterprise",
                "--switchboard.metering.tiers.enterprise.requests-per-minute=10000000",
                "--switchboard.metering.tiers.enterprise.tokens-per-day=1000000000",
                "--switchboard.llm.default-chain=primary:gpt-bench,secondary:gpt-bench",
                // The fake providers listen on loopback, which outbound connections refuse unless opened.
                "--switchboard.security.outbound.allowed-networks=127.0.0.1/32"));
        providers.forEach((id, url) -> {
            String p = "--switchboard.llm.providers." + id + ".";
            command.addAll(List.of(p + "kind=openai", p + "base-url=" + url + "/v1", p + "api-key=x", p + "connect-timeout=1s",
                    p + "first-token-timeout=1s", p + "total-timeout=1s", p + "max-retries=0"));
        });
        command.addAll(breakerArgs);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void waitReady(String url, Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                throw new IllegalStateException("Switchboard exited with " + app.exitValue() + "; see " + log);
            }
            try {
                // The status in the body decides: DEGRADED answers 200 too, and before 17c3ff1 so did
                // OUT_OF_SERVICE (i.e. before the bootstrap admin existed).
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                String status = response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asString() : "";
                if (status.equals("UP") || status.equals("DEGRADED")) {
                    return;
                }
            }
            catch (IOException | RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Switchboard not ready after 180 s; see " + log);
    }

    static void stop(Process app) throws InterruptedException {
        app.destroy();
        if (!app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            app.destroyForcibly().waitFor();
        }
    }

    static HttpResponse<String> post(String url, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (bearer == null && response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
