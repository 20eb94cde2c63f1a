package bench.support;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Report lines from a JMH JSON result ({@code -rf json}), every one read from the file: {@code setup} prints how the
 * run was made (JMH version, mode, forks, warm-up and measured iterations, threads, JVM), as JMH recorded it, so that
 * options given with {@code JMH_ARGS} show in the report; {@code table} prints one row per benchmark and parameter set
 * with JMH's score and its 99.9 % error.
 * <p>
 * {@code java -cp ... bench.support.JmhReport setup|table result.json}
 */
public final class JmhReport {

    public static void main(String[] args) throws Exception {
        JsonNode results = JsonMapper.builder().build().readTree(Path.of(args[1]).toFile());
        if (results.isEmpty()) {
            throw new IllegalStateException("no benchmark results in " + args[1]);
        }
        switch (args[0]) {
            case "setup" -> System.out.println(setup(results));
            case "table" -> System.out.print(table(results));
            default -> throw new IllegalArgumentException("mode: setup or table");
        }
    }

    /** How the run was made, from the results (distinct values joined when benchmarks differ). */
    public static String setup(JsonNode results) {
        Set<String> lines = new LinkedHashSet<>();
        for (JsonNode r : results) {
            lines.add(String.format(Locale.ROOT,
                    "JMH %s, mode %s, %d fork(s), %d warm-up iteration(s) of %s, %d measured iteration(s) of %s, %d thread(s); %s %s %s",
                    r.path("jmhVersion").asString(), r.path("mode").asString(), r.path("forks").asInt(),
                    r.path("warmupIterations").asInt(), r.path("warmupTime").asString(), r.path("measurementIterations").asInt(),
                    r.path("measurementTime").asString(), r.path("threads").asInt(), r.path("vmName").asString(),
                    r.path("vmVersion").asString(), jvmArgs(r)));
        }
        return String.join("; ", lines).strip();
    }

    private static String jvmArgs(JsonNode r) {
        StringBuilder out = new StringBuilder();
        for (JsonNode arg : r.path("jvmArgs")) {
            out.append(out.isEmpty() ? "(" : " ").append(arg.asString());
        }
        return out.isEmpty() ? "" : out.append(")").toString();
    }

    /** JMH writes "NaN" (a string) where it has no figure, e.g. the error of a single iteration. */
    private static String number(JsonNode value) {
        double v = value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString());
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A markdown table: benchmark, parameters, score ± error, unit. */
    public static String table(JsonNode results) {
        StringBuilder out = new StringBuilder("| benchmark | parameters | score | ± 99.9 % | unit |\n|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asString();
            Map<String, String> params = new TreeMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
            JsonNode m = r.path("primaryMetric");
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name.substring(name.lastIndexOf('.') + 1),
                    params.isEmpty() ? "—" : params.toString(), number(m.path("score")), number(m.path("scoreError")),
                    m.path("scoreUnit").asString()));
        }
        return out.toString();
    }

}
