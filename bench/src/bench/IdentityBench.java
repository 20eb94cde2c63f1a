package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;

/**
 * Identity and metering costs against a running Switchboard (bench/identity.sh starts one):
 * login latency; per-request cost of API-key and JWT authentication against an unauthenticated baseline;
 * a rate-limit decision for a key's request (its bucket and its user's) in-process and in Redis, made as
 * Switchboard makes it.
 */
public class IdentityBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String email = args[1];
        String password = args[2];
        int requests = Integer.parseInt(args.length > 3 ? args[3] : "2000");

        String login = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
        for (int i = 0; i < 30; i++) {
            post(base + "/api/auth/login", login, null);
        }
        double[] logins = new double[100];
        String accessToken = null;
        for (int i = 0; i < logins.length; i++) {
            long t = System.nanoTime();
            String body = post(base + "/api/auth/login", login, null);
            logins[i] = (System.nanoTime() - t) / 1e6;
            accessToken = field(body, "accessToken");
        }
        String unknown = "{\"email\":\"nobody-" + System.nanoTime() + "@example.test\",\"password\":\"" + password + "\"}";
        double[] refused = new double[100];
        for (int i = 0; i < refused.length; i++) {
            long t = System.nanoTime();
            postExpecting(base + "/api/auth/login", unknown, 401);
            refused[i] = (System.nanoTime() - t) / 1e6;
        }
        String key = field(post(base + "/api/keys", "{\"name\":\"bench\",\"tier\":\"enterprise\"}", accessToken), "key");

        double[] baseline = timeGets(base + "/health/live", null, null, requests);
        double[] withKey = timeGets(base + "/api/auth/me", "X-API-Key", key, requests);
        double[] withJwt = timeGets(base + "/api/auth/me", "Authorization", "Bearer " + accessToken, requests);

        double[] redis = decisions("redis://127.0.0.1:6379", 20_000);

        System.out.printf("login_ms p50=%.1f p95=%.1f p99=%.1f%n", pct(logins, 50), pct(logins, 95), pct(logins, 99));
        System.out.printf("unknown_login_ms p50=%.1f p95=%.1f%n", pct(refused, 50), pct(refused, 95));
        System.out.printf("baseline_health_ms p50=%.3f p99=%.3f%n", pct(baseline, 50), pct(baseline, 99));
        System.out.printf("api_key_me_ms p50=%.3f p99=%.3f%n", pct(withKey, 50), pct(withKey, 99));
        System.out.printf("jwt_me_ms p50=%.3f p99=%.3f%n", pct(withJwt, 50), pct(withJwt, 99));
        System.out.printf("decision_redis_us p50=%.2f p99=%.2f%n", pct(redis, 50), pct(redis, 99));
    }

    static double[] timeGets(String url, String header, String value, int n) throws Exception {
        for (int i = 0; i < n / 2; i++) {
            get(url, header, value);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(url, header, value);
            out[i] = (System.nanoTime() - t) / 1e6;
        }
        return out;
    }

    /**
     * Microseconds per rate-limit decision in Redis on a request made with an API key: one run of Switchboard's Lua
     * script ({@code -Dbench.lua}) on the key's bucket and its user's, over Lettuce from this JVM. The in-process
     * decision is measured through {@code LocalRateLimiter} itself, with JMH ({@link RateLimitBench}).
     */
    static double[] decisions(String redisUrl, int n) throws Exception {
        long capacity = 1_000_000_000L;
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
            RedisCommands<String, String> redis = connection.sync();
            String sha = redis.scriptLoad(Files.readString(Path.of(System.getProperty("bench.lua"))));
            String run = "switchboard:bench:" + System.nanoTime();
            String[] keys = {run + ":key", run + ":user"};
            String perMinute = String.valueOf(Duration.ofMinutes(1).toNanos() / 1_000);
            String[] arguments = {"consume", "1", String.valueOf(capacity), perMinute, String.valueOf(capacity), perMinute};
            return time(n, () -> redis.evalsha(sha, ScriptOutputType.MULTI, keys, arguments));
        }
        finally {
            client.shutdown();
        }
    }

    /** Microseconds per {@code decision}, after a warm-up of a quarter as many. */
    static double[] time(int n, Runnable decision) {
        for (int i = 0; i < n / 4; i++) {
            decision.run();
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            decision.run();
            out[i] = (System.nanoTime() - t) / 1e3;
        }
        return out;
    }

    static String post(String url, String json, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static void postExpecting(String url, String json, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ", expected " + status);
        }
    }

    static void get(String url, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (header != null) {
            request.header(header, value);
        }
        HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static double pct(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
