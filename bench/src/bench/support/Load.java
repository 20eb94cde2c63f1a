package bench.support;

import static bench.support.Bench.*;
import static bench.support.Load.*;
import static bench.support.Percentiles.pct;
import static bench.support.Profiles.*;
import static bench.support.Sessions.*;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * Closed-loop load: samples of timed requests, their summary and the problems among them.
 */
public final class Load {

    public record Sample(double ms, int status, double attemptMs, boolean ok, String problem) {
    }

    public record Timed(List<Sample> samples, double wall) {
    }

    public static String summary(Timed timed) {
        double[] ms = timed.samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        long failed = timed.samples.stream().filter(s -> !s.ok()).count();
        return f("%d requests, %s, %.0f/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", timed.samples.size(),
                failed == 0 ? "0 failed" : "**" + failed + " failed** " + problems(timed.samples), timed.samples.size() / timed.wall,
                pct(ms, 50), pct(ms, 95), pct(ms, 99));
    }

    public static String problems(List<Sample> samples) {
        Map<String, Long> counts = samples.stream().filter(s -> !s.ok())
                .collect(Collectors.groupingBy(s -> s.status() + " " + s.problem(), TreeMap::new, Collectors.counting()));
        return counts.isEmpty() ? "" : counts.toString();
    }

    public static Sample sample(double ms, HttpResponse<String> response, String shape) {
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

    public interface Request {
        Sample run(int i) throws Exception;
    }

    public static Timed closedLoop(int requests, int clients, Request request) throws Exception {
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

    public static Sample timedGet(String url, String key) throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> response = get(url, key);
        double ms = (System.nanoTime() - t) / 1e6;
        return new Sample(ms, response.statusCode(), 0, response.statusCode() == 200, null);
    }

    public static List<List<Sample>> interleaved(List<Request> kinds, int each) throws Exception {
        List<List<Sample>> samples = new ArrayList<>();
        kinds.forEach(k -> samples.add(new ArrayList<>()));
        for (int i = 0; i < each; i++) {
            for (int k = 0; k < kinds.size(); k++) {
                samples.get(k).add(kinds.get(k).run(i));
            }
        }
        return samples;
    }

    public static String historyRow(int clients, String label, Timed timed) {
        double[] ms = timed.samples.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        long failed = timed.samples.stream().filter(s -> !s.ok()).count();
        double rate = Double.isNaN(timed.wall) ? timed.samples.size() / (Arrays.stream(ms).sum() / 1000) : timed.samples.size()
                / timed.wall;
        return f("| %d | %s | %d | %s | %.0f | %.2f | %.2f | %.2f | %.1f |", clients, label, timed.samples.size(),
                failed == 0 ? "0" : "**" + failed + "**", rate, pct(ms, 50), pct(ms, 95), pct(ms, 99), Arrays.stream(ms).max().orElse(
                        Double.NaN));
    }

}
