package bench.support;

import static bench.support.Bench.f;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed loop of {@code connections} clients driven by wrk (C, one event loop per thread) instead of this JVM's HTTP
 * client, so that the load generator takes little of the cores it shares with the server: each connection sends the next
 * request as soon as the last answer arrived, its body drawn at random from a list, and each answer is checked (status 200
 * and {@code expected} occurrences of a marker). The run's CPU time is read from this JVM's reaped children (wrk is one).
 */
public final class WrkLoop {

    /** One run: requests answered, of which failed (wrk's errors and failed checks), its length and latency in ms. */
    public record Run(long requests, long failed, double seconds, double p50, double p95, double p99, double max, double cpuSeconds) {

        public double rate() {
            return requests / seconds;
        }

        /** A row of the search tables: clients, label, requests, failed, req/s, p50, p95, p99, max. */
        public String row(int clients, String label) {
            return f("| %d | %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %.1f |", clients, label, requests, failed == 0 ? "0" : "**"
                    + failed + "**", rate(), p50, p95, p99, max);
        }
    }

    private WrkLoop() {
    }

    /**
     * A wrk script posting one of {@code bodies} (drawn at random) with the bearer, counting an answer as failed unless it is
     * 200 and holds {@code marker} exactly {@code expected} times.
     */
    public static Path script(Path dir, String name, List<String> bodies, String bearer, String marker, int expected)
            throws Exception {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(bearer).append("\"\n");
        lua.append("local bodies = {}\n");
        for (String body : bodies) {
            if (body.contains("]==]")) {
                throw new IllegalArgumentException("a body holds the script's string delimiter: " + body);
            }
            lua.append("bodies[#bodies + 1] = [==[").append(body).append("]==]\n");
        }
        lua.append("""
                failed = 0
                local threads = {}
                local next_id = 0
                setup = function(thread)
                  next_id = next_id + 1
                  thread:set("id", next_id)
                  table.insert(threads, thread)
                end
                init = function(args)
                  math.randomseed(41 + id)
                end
                request = function()
                  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])
                end
                response = function(status, headers, body)
                  local found = 0
                  if status == 200 then
                    for _ in string.gmatch(body, MARKER_) do found = found + 1 end
                  end
                  if found ~= EXPECTED_ then failed = failed + 1 end
                end
                done = function(summary, latency, requests)
                  local bad = 0
                  for _, thread in ipairs(threads) do bad = bad + thread:get("failed") end
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%d duration_us=%.0f errors=%d failed=%d p50=%.0f p95=%.0f p99=%.0f max=%.0f\\n",
                    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, bad,
                    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
                end
                """.replace("MARKER_", "'" + marker.replace("\\", "\\\\").replace("'", "\\'") + "'").replace("EXPECTED_", String
                .valueOf(expected)));
        Path path = dir.resolve(name + ".lua");
        Files.writeString(path, lua);
        return path;
    }

    /** Runs wrk with the script against the URL: {@code connections} connections for {@code seconds}. */
    public static Run run(Path script, String url, int connections, int seconds) throws Exception {
        long self = ProcessHandle.current().pid();
        double cpuBefore = Knowledge.Cpu.ticks(self, true) - Knowledge.Cpu.ticks(self, false);
        String output = wrk(script, url, connections, seconds);
        double cpu = Knowledge.Cpu.ticks(self, true) - Knowledge.Cpu.ticks(self, false) - cpuBefore;
        Map<String, Double> v = result(output);
        long requests = v.get("requests").longValue();
        return new Run(requests, v.get("errors").longValue() + v.get("failed").longValue(), v.get("duration_us") / 1e6, v.get("p50")
                / 1000, v.get("p95") / 1000, v.get("p99") / 1000, v.get("max") / 1000, cpu);
    }

    /** wrk's output for the script against the URL (-t2, -t1 at one connection); fails when wrk does. */
    public static String wrk(Path script, String url, int connections, int seconds) throws Exception {
        int threads = Math.min(2, connections);
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s", "-s",
                script.toString(), url).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        return output;
    }

    /** The {@code key=value} pairs of the script's {@code RESULT} line in wrk's output. */
    public static Map<String, Double> result(String output) {
        Matcher result = Pattern.compile("RESULT (.*)").matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("no RESULT line from wrk: " + output);
        }
        Map<String, Double> v = new HashMap<>();
        for (String pair : result.group(1).strip().split(" ")) {
            String[] kv = pair.split("=");
            v.put(kv[0], Double.parseDouble(kv[1]));
        }
        return v;
    }
}
