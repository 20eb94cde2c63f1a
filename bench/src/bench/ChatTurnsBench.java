package bench;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;
import static bench.support.Verdicts.verdict;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import bench.support.App;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import tools.jackson.databind.JsonNode;

/**
 * Chat turns (bench/chat-turns.sh): {@code POST /api/chat} turns on sessions seeded with exactly 50 messages, alone and from concurrent clients, against the stateless {@code /v1/chat/completions} with the same messages; then concurrent SSE streams.
 */
public class ChatTurnsBench {

    /** Arguments: the Switchboard jar, a private work directory, the output directory. */
    public static void main(String[] args) throws Exception {
        turns(init(args));
        System.exit(0);
    }

    static void turns(Path jar) throws Exception {
        String phases = System.getenv().getOrDefault("PHASES", "all");
        String heap = System.getenv().getOrDefault("HEAP", "512m");
        int modelMs = env("MODEL_MS", 200);
        // Cores as this run reads them: the load generator, the fake, Switchboard and PostgreSQL all share them.
        int cores = Runtime.getRuntime().availableProcessors();
        String baselineJar = System.getenv().getOrDefault("BASELINE_JAR", "");
        StepUp baseline = baselineJar.isBlank() ? null : stepUp(Path.of(baselineJar), "turns-baseline", "baseline: "
                + System.getenv().getOrDefault("BASELINE_LABEL", baselineJar), heap, modelMs);
        StepUp current = stepUp(jar, "turns-stepup", "this build: " + System.getenv().getOrDefault("CURRENT_LABEL", "the jar"), heap,
                modelMs);
        List<String> stepLines = stepUpReport(baseline, current, modelMs, cores);
        System.out.println("### Sustained turn rate with p95 of the server's own time under " + env("LIMIT_MS", 50) + " ms (open-loop "
                + "step-up)");
        stepLines.forEach(System.out::println);
        System.out.println();
        if (phases.equals("stepup")) {
            return;
        }
        System.out.println("### Closed-loop phases and SSE streams (this build)");
        System.out.println();
        classic(jar);
    }

    static void classic(Path jar) throws Exception {
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
            String pool = pool(before, after, concChat.samples().size());

            // Profile: JFR while the same concurrent load runs again on sessions of its own (model at once).
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
            String slowPool = pool(before, after, slowChat.samples().size());
            Phase slowOpen = phase("`POST /v1/chat/completions` with the same 50 messages (stateless baseline)", clients,
                    "after " + modelMs + " ms", runCompletions(app, concurrentTurns, clients, history), modelMs);

            // The sessions as people hold them: each client waits 0.4–1.6 × THINK_MS between its turns.
            Phase paced = phase("`POST /api/chat`, 50-message history, each session pausing " + f("%.1f–%.1f s", 0.4 * thinkMs / 1000,
                    1.6 * thinkMs / 1000) + " between turns", clients, "after " + modelMs + " ms",
                    pacedTurns(app, sessions.get("paced"), clients, thinkMs), modelMs);
            for (Phase p : List.of(seqChat, seqOpen, concChat, slowChat, slowOpen, paced)) {
                rows.add(p.row());
            }
            double slowP95 = pct(slowChat.ms(), 95) - modelMs;
            double slowExclP95 = pct(slowChat.excl(), 95);
            notes.add(f("- **%d concurrent sessions, model answering after %d ms: p95 of (client latency − %d ms) = %.1f ms → target "
                    + "< 30 ms %s**; p95 of (client latency − the model call as Switchboard timed it, `attempts[].latencyMs`) = %.1f ms; "
                    + "stateless `/v1/chat/completions` with the same 50 messages: p95 − %d ms = %.1f ms → the session/history/"
                    + "persistence stages add %+.1f ms at p95, %+.1f ms at p50",
                    clients, modelMs, modelMs, slowP95, verdict(slowP95 < 30, slowChat.failed()), slowExclP95, modelMs, pct(slowOpen.ms(),
                            95) - modelMs,
                    pct(slowChat.ms(), 95) - pct(slowOpen.ms(), 95), pct(slowChat.ms(), 50) - pct(slowOpen.ms(), 50)));
            notes.add(f("- **%d sessions pausing %.1f–%.1f s between turns (%.0f turns/s offered on average), model after %d ms: p95 of "
                    + "(client latency − %d ms) = %.1f ms → target < 30 ms %s**; p95 of (client latency − `attempts[].latencyMs`) = %.1f ms",
                    clients, 0.4 * thinkMs / 1000, 1.6 * thinkMs / 1000, clients * 1000.0 / (thinkMs + modelMs), modelMs, modelMs,
                    pct(paced.ms(), 95) - modelMs, verdict(pct(paced.ms(), 95) - modelMs < 30, paced.failed()), pct(paced.excl(), 95)));
            notes.add(f("- %d concurrent sessions, model answering at once (client latency = all of the server's time plus the fake's "
                    + "~0 ms): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms at %.0f turns/s → target < 30 ms %s; the same turn alone "
                    + "(one client): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (stateless baseline alone: p50 %.1f ms, p95 %.1f ms)",
                    clients, pct(concChat.ms(), 50), pct(concChat.ms(), 95), pct(concChat.ms(), 99), concChat.rate(),
                    verdict(pct(concChat.ms(), 95) < 30, concChat.failed()),
                    pct(seqChat.ms(), 50), pct(seqChat.ms(), 95), pct(seqChat.ms(), 99), pct(seqOpen.ms(), 50), pct(seqOpen.ms(), 95)));
            notes.add("- what the model was sent for the sequential turns (messages per request → requests; system + 50 history + "
                    + "the new message = 52): " + seen);
            notes.add(f(
                    "- database connections (Hikari, pool of %.0f as the application reported it) during the %d-session phases: model at once: ",
                    sum(after, "hikaricp_connections_max"), clients) + pool
                    + "; model after " + modelMs + " ms: " + slowPool);
            notes.add(f(
                    "- profile: JFR (`settings=profile`, execution samples of the Switchboard JVM only) during a further %d turns from %d "
                            + "clients, model at once (%s):", profiled.samples().size(), clients, summary(profiled)));
            notes.addAll(profile(jfr));

            // STREAMS concurrent SSE streams, held open by a slow first token.
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
        Phase phase = new Phase(label, clients, model, timed.samples(), timed.wall(), modelMs);
        log("%s, %d clients, model %s: %s", label, clients, model, summary(timed));
        return phase;
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
                return new Sample(ms, r.status, r.attemptMs(), r.ok(), r.problem());
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

    // ---- Open-loop step-up: the highest sustained turn rate at which p95 of the server's own time stays under a limit ----

    /** One step of the step-up: turns sent at a fixed rate (open loop) to fresh sessions of 50 messages. */
    record Step(double offered, double achieved, double lagP95Ms, List<Sample> samples, int modelMs, double[] cpuMsPerTurn,
            double machineBusy, String pool, Map<String, Double> stageMs, double serverMeanMs) {

        double[] own() {
            return samples.stream().filter(Sample::ok).mapToDouble(s -> s.ms() - modelMs).toArray();
        }

        double[] ownExclAttempt() {
            return samples.stream().filter(Sample::ok).mapToDouble(s -> s.ms() - s.attemptMs()).toArray();
        }

        long failed() {
            return samples.stream().filter(s -> !s.ok()).count();
        }

        boolean passes(double limitMs) {
            return failed() == 0 && pct(own(), 95) < limitMs && achieved >= 0.95 * offered;
        }

        String row(double limitMs, int cores) {
            double[] own = own();
            double[] excl = ownExclAttempt();
            return f("| %.1f | %.1f | %.2f | %d | %s | %.1f / %.1f / %.1f | %.1f / %.1f | %.1f | %.1f / %.1f / %.1f | %.0f %% | %s |",
                    offered,
                    achieved, achieved / cores, samples.size(), failed() == 0 ? "0" : "**" + failed() + "** " + problems(samples),
                    pct(own, 50), pct(own, 95), pct(own, 99), pct(excl, 50), pct(excl, 95), lagP95Ms, cpuMsPerTurn[0], cpuMsPerTurn[1],
                    cpuMsPerTurn[2], 100 * machineBusy, passes(limitMs) ? "yes" : "**no**");
        }
    }

    /** What a step-up found on one jar. */
    record StepUp(String label, List<Step> steps, Step best, List<String> profile, Step profiled) {
    }

    static final int CLK_TCK = 100;

    /** CPU time so far, ms: [Switchboard's JVM, its embedded PostgreSQL (every child process), this JVM (load generator and fake)]. */
    static double[] cpuMs(App app) {
        double app_ = procCpuMs(app.process.pid());
        // The embedded PostgreSQL is daemonised (pg_ctl): its postmaster, named in postmaster.pid, and every process under it.
        double pg = postmaster(app).map(p -> procCpuMs(p.pid()) + p.descendants().mapToDouble(c -> procCpuMs(c.pid())).sum())
                .orElse(Double.NaN);
        double self = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        return new double[] {app_, pg, self};
    }

    static java.util.Optional<ProcessHandle> postmaster(App app) {
        try (var files = java.nio.file.Files.walk(app.data, 3)) {
            return files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).findFirst().flatMap(f -> {
                try {
                    return ProcessHandle.of(Long.parseLong(java.nio.file.Files.readAllLines(f).getFirst().strip()));
                }
                catch (Exception unreadable) {
                    return java.util.Optional.empty();
                }
            });
        }
        catch (Exception noData) {
            return java.util.Optional.empty();
        }
    }

    static double procCpuMs(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 1000.0 / CLK_TCK;
        }
        catch (Exception gone) {
            return 0;
        }
    }

    /** The machine's CPU counters from /proc/stat: {busy, total} jiffies over every core. */
    static long[] machineJiffies() {
        try {
            String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        }
        catch (Exception unreadable) {
            return new long[] {0, 1};
        }
    }

    /** Mean ms per turn of each stage Switchboard times ({@code switchboard_chat_stage_seconds}), when it has them. */
    static Map<String, Double> stageMs(Map<String, Double> before, Map<String, Double> after, double turns) {
        Map<String, Double> stages = new LinkedHashMap<>();
        Pattern stage = Pattern.compile("switchboard_chat_stage_seconds_sum\\{.*stage=\"([^\"]+)\".*");
        for (Map.Entry<String, Double> e : after.entrySet()) {
            Matcher m = stage.matcher(e.getKey());
            if (m.matches()) {
                stages.merge(m.group(1), 1000 * (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / turns, Double::sum);
            }
        }
        return stages;
    }

    /** Mean ms Switchboard itself measured for a {@code POST /api/chat} (Spring's {@code http_server_requests_seconds}). */
    static double serverMeanMs(Map<String, Double> before, Map<String, Double> after) {
        double sum = 0;
        double count = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) {
            if (e.getKey().startsWith("http_server_requests_seconds_") && e.getKey().contains("uri=\"/api/chat\"")
                    && e.getKey().contains("method=\"POST\"")) {
                double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
                if (e.getKey().startsWith("http_server_requests_seconds_sum")) {
                    sum += d;
                }
                else if (e.getKey().startsWith("http_server_requests_seconds_count")) {
                    count += d;
                }
            }
        }
        return count == 0 ? Double.NaN : 1000 * sum / count;
    }

    /** Turns at {@code rate} per second, each sent at its scheduled time whatever the earlier ones are doing (open loop). */
    static Step paced(App app, List<UUID> sessions, double rate, int modelMs) throws Exception {
        int n = sessions.size();
        Sample[] samples = new Sample[n];
        double[] lag = new double[n];
        Map<String, Double> before = metrics(app);
        double[] cpuBefore = cpuMs(app);
        long[] machineBefore = machineJiffies();
        long t0 = System.nanoTime() + 20_000_000;
        long lastSent = t0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long due = t0 + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                int k = i;
                pool.submit(() -> {
                    String body = "{\"agent\":\"bench\",\"message\":\"Turn " + k + ": what should I do next?\",\"sessionId\":\""
                            + sessions.get(k) + "\"}";
                    long start = System.nanoTime();
                    lag[k] = (start - due) / 1e6;
                    try {
                        HttpResponse<String> response = post(app.base + "/api/chat", body, app.key, null);
                        samples[k] = sample((System.nanoTime() - start) / 1e6, response, "message");
                    }
                    catch (Exception ex) {
                        samples[k] = new Sample(Double.NaN, -1, 0, false, ex.getClass().getSimpleName());
                    }
                    return null;
                });
                lastSent = System.nanoTime();
            }
        }
        double achieved = (n - 1) / ((lastSent - t0) / 1e9);
        double[] cpuAfter = cpuMs(app);
        long[] machineAfter = machineJiffies();
        Map<String, Double> after = metrics(app);
        double[] perTurn = new double[3];
        for (int i = 0; i < 3; i++) {
            perTurn[i] = (cpuAfter[i] - cpuBefore[i]) / n;
        }
        double busy = (machineAfter[0] - machineBefore[0]) / (double) Math.max(1, machineAfter[1] - machineBefore[1]);
        return new Step(rate, achieved, pct(lag, 95), List.of(samples), modelMs, perTurn, busy, pool(before, after, n),
                stageMs(before, after, n), serverMeanMs(before, after));
    }

    /**
     * The step-up on one jar: Switchboard started at -Xmx{heap}, the fake answering after {@code modelMs}; a closed-loop
     * warm-up, then steps of STEP_S seconds from RATE_START turns/s (halved while nothing passes, down to 1/s), × RATE_FACTOR
     * each after a pass, until two steps in a row miss
     * (p95 of latency − model time ≥ LIMIT_MS, a failed turn, or the rate not kept up) or RATE_MAX; then the best rate once
     * more under JFR for the profile by stage.
     */
    static StepUp stepUp(Path jar, String name, String label, String heap, int modelMs) throws Exception {
        double start = env("RATE_START", 10);
        double factor = Double.parseDouble(System.getenv().getOrDefault("RATE_FACTOR", "1.25"));
        double max = env("RATE_MAX", 400);
        int stepSeconds = env("STEP_S", 15);
        int limitMs = env("LIMIT_MS", 50);
        int history = 50;
        try (FakeLlmServer fake = new FakeLlmServer().always(Behaviour.slow(FAKE_TEXT, Duration.ofMillis(modelMs)));
                App app = App.start(jar, name, fake.baseUrl(), List.of("-Xmx" + heap), List.of());
                Connection db = app.db()) {
            Owner owner = owner(db);
            List<UUID> warm = seed(db, owner, "sw", 600, history);
            try (Statement analyze = db.createStatement()) {
                analyze.execute("vacuum analyze chat_sessions, chat_messages");
            }
            log("%s: warm-up %s", label, summary(runTurns(app, warm, 50, false)));
            List<Step> steps = new ArrayList<>();
            Step best = null;
            int misses = 0;
            int k = 0;
            double rate = start;
            while (rate <= max && misses < 2) {
                List<UUID> sessions = seed(db, owner, "s" + k++, (int) Math.ceil(rate * stepSeconds), history);
                Step step = paced(app, sessions, rate, modelMs);
                steps.add(step);
                log("%s: %.1f turns/s offered, %.1f sent: p95 − %d ms = %.1f ms, %d failed, CPU ms per turn %s, machine busy %.0f %% → %s",
                        label, rate, step.achieved(), modelMs, pct(step.own(), 95), step.failed(), Arrays.toString(step.cpuMsPerTurn()),
                        100 * step.machineBusy(), step.passes(limitMs) ? "passes" : "misses");
                if (step.passes(limitMs)) {
                    misses = 0;
                    if (best == null || step.offered() > best.offered()) {
                        best = step;
                    }
                    rate *= factor;
                }
                else if (best == null && rate / 2 >= 1) {
                    // Nothing has passed yet: halve the rate to find where to step up from.
                    rate /= 2;
                }
                else {
                    misses++;
                    rate *= factor;
                }
            }
            List<String> profile = List.of();
            Step profiled = null;
            if (best != null) {
                Path jfr = WORK.resolve(name + ".jfr");
                List<UUID> sessions = seed(db, owner, "sp", (int) Math.ceil(best.offered() * stepSeconds), history);
                jcmd(app.process.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
                profiled = paced(app, sessions, best.offered(), modelMs);
                jcmd(app.process.pid(), "JFR.stop", "name=bench");
                profile = profile(jfr);
            }
            return new StepUp(label, steps, best, profile, profiled);
        }
    }

    /** The step-up's report: a table per jar, the verdict, where a turn's time and CPU go. */
    static List<String> stepUpReport(StepUp baseline, StepUp current, int modelMs, int cores) {
        int limitMs = env("LIMIT_MS", 50);
        List<String> lines = new ArrayList<>();
        for (StepUp run : baseline == null ? List.of(current) : List.of(baseline, current)) {
            lines.add("");
            lines.add(f("#### Step-up, %s", run.label()));
            lines.add("");
            lines.add("| offered turns/s | sent turns/s | sent per core | turns | failed | latency − " + modelMs + " ms p50 / p95 / p99 "
                    + "| latency − `attempts[].latencyMs` p50 / p95 | sender lag p95 ms | CPU ms per turn: Switchboard / PostgreSQL / "
                    + "load generator + fake | machine busy (all processes) | p95 < " + limitMs + " ms, 0 failed |");
            lines.add("|---|---|---|---|---|---|---|---|---|---|---|");
            run.steps().forEach(s -> lines.add(s.row(limitMs, cores)));
            lines.add("");
            if (run.best() == null) {
                lines.add(f("- **%s: no step kept p95 under %d ms with 0 failed turns**", run.label(), limitMs));
                continue;
            }
            Step best = run.best();
            lines.add(f("- **%s: highest sustained rate with p95 of (latency − %d ms) < %d ms and 0 failed: %.1f turns/s = %.2f turns/s "
                    + "per core** (%d cores online) — p95 %.1f ms there", run.label(), modelMs, limitMs, best.offered(),
                    best.offered() / cores, cores, pct(best.own(), 95)));
            lines.add(f("  - there, per turn: CPU %.1f ms in Switchboard, %.1f ms in PostgreSQL, %.1f ms in the load generator and the "
                    + "fake; database pool: %s; Switchboard's own mean time of `POST /api/chat` (`http_server_requests_seconds`) %.1f ms",
                    best.cpuMsPerTurn()[0], best.cpuMsPerTurn()[1], best.cpuMsPerTurn()[2], best.pool(), best.serverMeanMs()));
            if (!best.stageMs().isEmpty()) {
                double staged = best.stageMs().values().stream().mapToDouble(Double::doubleValue).sum();
                lines.add("  - where a turn's milliseconds go (mean per turn, Switchboard's `switchboard_chat_stage_seconds` by stage): "
                        + best.stageMs().entrySet().stream().map(e -> f("%s %.2f ms", e.getKey(), e.getValue()))
                                .collect(Collectors.joining(", "))
                        + f("; outside the stages (HTTP, filters, authentication, JSON, the model call's routing): %.2f ms of %.2f ms",
                                best.serverMeanMs() - staged, best.serverMeanMs()));
            }
            if (run.profiled() != null) {
                lines.add(f("  - profile: JFR (`settings=profile`, Switchboard's JVM) during one more step at %.1f turns/s (p95 − %d ms = "
                        + "%.1f ms, %d failed):", run.profiled().offered(), modelMs, pct(run.profiled().own(), 95), run.profiled()
                                .failed()));
                run.profile().forEach(l -> lines.add("  " + l));
            }
        }
        if (baseline != null && baseline.best() != null && current.best() != null) {
            double ratio = current.best().offered() / baseline.best().offered();
            double cpu = Arrays.stream(baseline.best().cpuMsPerTurn()).sum();
            double cpuNow = Arrays.stream(current.best().cpuMsPerTurn()).sum();
            lines.add("");
            lines.add(f("- **sustained rate: %.1f → %.1f turns/s (%.2f → %.2f per core) = %.2f× the baseline in the same run → target ≥ 2× "
                    + "%s**; CPU per turn, all three processes, at each one's best step: %.1f → %.1f ms", baseline.best().offered(),
                    current.best().offered(), baseline.best().offered() / cores, current.best().offered() / cores, ratio,
                    verdict(ratio >= 2, current.best().failed()), cpu, cpuNow));
        }
        return lines;
    }

}
