package dev.switchboard.ops.internal.doctor;

import static dev.switchboard.ops.internal.doctor.Answers.header;
import static dev.switchboard.ops.internal.doctor.Answers.unexpected;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What anyone on the network meets, checked without credentials: health, the refusal of anonymous API calls, the
 * security headers identity writes on every response, CORS, HTTPS, the OpenAPI document and the metrics guard.
 */
final class EdgeChecks {

    /** An origin no deployment allows: {@code .invalid} is reserved (RFC 2606). */
    static final String FOREIGN_ORIGIN = "https://doctor-check.invalid";

    /** HSTS shorter than a year is not accepted for browsers' preload lists; Switchboard sends a year. */
    static final long MIN_HSTS_SECONDS = 31_536_000;

    private static final Pattern MAX_AGE = Pattern.compile("max-age=\"?(\\d+)");

    private EdgeChecks() {
    }

    static List<DoctorCheck> all() {
        return List.of(DoctorCheck.of("liveness", (name, d) -> health(name, d, "/health/live")),
                DoctorCheck.of("readiness", (name, d) -> health(name, d, "/health/ready")),
                DoctorCheck.of("401 without credentials", EdgeChecks::anonymousRefused),
                DoctorCheck.of("security headers", EdgeChecks::securityHeaders),
                DoctorCheck.of("CORS refuses unknown origin", EdgeChecks::corsRefusal),
                DoctorCheck.of("HTTPS redirect", EdgeChecks::httpsRedirect),
                DoctorCheck.of("HSTS", EdgeChecks::hsts),
                DoctorCheck.of("OpenAPI reachable", EdgeChecks::openApi),
                DoctorCheck.of("metrics not public", EdgeChecks::metricsGuarded));
    }

    static CheckResult health(String name, Deployment deployment, String path) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.get(path);
        if (response.statusCode() == 200) {
            return CheckResult.pass(name, path + " answered 200");
        }
        return CheckResult.fail(name, path + " " + unexpected(response));
    }

    static CheckResult anonymousRefused(String name, Deployment deployment) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.get("/api/auth/me");
        if (response.statusCode() != 401) {
            return CheckResult.fail(name, "GET /api/auth/me without credentials " + unexpected(response) + " (expected 401)");
        }
        String type = header(response, "Content-Type").orElse("");
        return type.startsWith("application/problem+json") ? CheckResult.pass(name, "GET /api/auth/me answered 401 problem+json")
                : CheckResult.fail(name, "GET /api/auth/me answered 401 as " + (type.isEmpty() ? "no content type" : type)
                        + ", not application/problem+json");
    }

    /** The headers {@code SecurityHeadersConfiguration} (identity) writes on every response, a health check's too. */
    static CheckResult securityHeaders(String name, Deployment deployment) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.get("/health/live");
        List<String> wrong = new ArrayList<>();
        expect(response, "X-Content-Type-Options", Set.of("nosniff"), wrong);
        expect(response, "X-Frame-Options", Set.of("deny", "sameorigin"), wrong);
        expect(response, "Content-Security-Policy", Set.of(), wrong);
        expect(response, "Referrer-Policy", Set.of("no-referrer", "same-origin", "strict-origin",
                "strict-origin-when-cross-origin"), wrong);
        expect(response, "Permissions-Policy", Set.of(), wrong);
        if (wrong.isEmpty()) {
            return CheckResult.pass(name, "Content-Security-Policy, X-Content-Type-Options, X-Frame-Options, "
                    + "Referrer-Policy, Permissions-Policy present");
        }
        return CheckResult.fail(name, String.join("; ", wrong));
    }

    private static void expect(HttpResponse<String> response, String header, Set<String> accepted, List<String> wrong) {
        String value = header(response, header).orElse(null);
        if (value == null || value.isBlank()) {
            wrong.add(header + " missing");
        }
        else if (!accepted.isEmpty() && !accepted.contains(value.strip().toLowerCase(Locale.ROOT))) {
            wrong.add(header + " is " + value);
        }
    }

    static CheckResult corsRefusal(String name, Deployment deployment) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.send(deployment.request("/api/auth/me")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", FOREIGN_ORIGIN)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization").build());
        String allowed = header(response, "Access-Control-Allow-Origin").orElse(null);
        if (allowed != null) {
            return CheckResult.fail(name, "a preflight from " + FOREIGN_ORIGIN + " got Access-Control-Allow-Origin: " + allowed);
        }
        if (response.statusCode() < 400) {
            return CheckResult.fail(name, "a preflight from " + FOREIGN_ORIGIN + " answered " + response.statusCode()
                    + " (expected a refusal)");
        }
        return CheckResult.pass(name, "a preflight from " + FOREIGN_ORIGIN + " answered " + response.statusCode()
                + " without Access-Control-Allow-Origin");
    }

    /** Plain HTTP on the same host is redirected to HTTPS, or not served at all. */
    static CheckResult httpsRedirect(String name, Deployment deployment) throws Deployment.Unreachable {
        URI base = deployment.options().base();
        if (!deployment.options().https()) {
            return CheckResult.skip(name, "the URL is plain http; run doctor against the https URL to check");
        }
        if (base.getPort() != -1 && base.getPort() != 443) {
            return CheckResult.skip(name, "the URL names port " + base.getPort() + "; the plain-HTTP port is not known");
        }
        URI plain = URI.create("http://" + base.getHost() + base.getRawPath() + "/health/live");
        HttpResponse<String> response;
        try {
            response = deployment.send(HttpRequest.newBuilder(plain).timeout(Deployment.REQUEST_TIMEOUT).GET().build());
        }
        catch (Deployment.Unreachable ex) {
            return CheckResult.pass(name, "plain HTTP is not served (" + ex.getMessage() + ")");
        }
        String location = header(response, "Location").orElse("");
        if (response.statusCode() / 100 == 3 && location.startsWith("https://")) {
            return CheckResult.pass(name, plain + " redirects (" + response.statusCode() + ") to " + location);
        }
        return CheckResult.fail(name, plain + " " + unexpected(response) + (location.isEmpty() ? "" : " to " + location)
                + " (expected a redirect to https)");
    }

    static CheckResult hsts(String name, Deployment deployment) throws Deployment.Unreachable {
        if (!deployment.options().https()) {
            return CheckResult.skip(name, "the URL is plain http; HSTS is only sent over HTTPS");
        }
        String value = header(deployment.get("/health/live"), "Strict-Transport-Security").orElse(null);
        if (value == null) {
            return CheckResult.fail(name, "no Strict-Transport-Security header over HTTPS (behind a proxy: list it in "
                    + "server.tomcat.remoteip.internal-proxies so X-Forwarded-Proto is trusted)");
        }
        Matcher maxAge = MAX_AGE.matcher(value);
        if (!maxAge.find() || Long.parseLong(maxAge.group(1)) < MIN_HSTS_SECONDS) {
            return CheckResult.fail(name, "Strict-Transport-Security: " + value + " (expected max-age of at least a year)");
        }
        return CheckResult.pass(name, "Strict-Transport-Security: " + value);
    }

    static CheckResult openApi(String name, Deployment deployment) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.get("/api/docs/openapi.json");
        if (response.statusCode() != 200) {
            return CheckResult.fail(name, "/api/docs/openapi.json " + unexpected(response));
        }
        return Answers.json(response.body()).filter(document -> document.has("openapi"))
                .map(document -> CheckResult.pass(name, "/api/docs/openapi.json: OpenAPI " + document.path("openapi").asString()
                        + ", " + document.path("paths").size() + " paths"))
                .orElse(CheckResult.fail(name, "/api/docs/openapi.json answered 200 but is not an OpenAPI document"));
    }

    /**
     * {@code /metrics} as ops' {@code MetricsAccessFilter} guards it: a 404 for anyone not on loopback without the
     * metrics token. From loopback the guard lets the doctor in, so a 200 there proves nothing either way.
     */
    static CheckResult metricsGuarded(String name, Deployment deployment) throws Deployment.Unreachable {
        HttpResponse<String> response = deployment.get("/metrics");
        int status = response.statusCode();
        if (status == 404 || status == 401 || status == 403) {
            return CheckResult.pass(name, "/metrics answered " + status + " without the metrics token");
        }
        if (status != 200) {
            return CheckResult.fail(name, "/metrics " + unexpected(response));
        }
        String host = deployment.options().base().getHost();
        if (loopback(host)) {
            return CheckResult.skip(name, "/metrics answered 200 to " + host + ", a loopback address the metrics guard lets "
                    + "in; run doctor from another machine to check");
        }
        return CheckResult.fail(name, "/metrics is readable without the metrics token from this machine");
    }

    private static boolean loopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }
}
