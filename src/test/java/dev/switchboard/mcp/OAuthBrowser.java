package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.web.util.UriComponentsBuilder;

import dev.switchboard.support.HttpTestClient;

/**
 * A browser and an MCP client's OAuth side, over real HTTP: a cookie jar (the session cookies are Secure, and the
 * test server speaks plain HTTP on loopback, so the jar sends them itself), redirects followed by hand so that each
 * step can be checked, forms parsed from the pages as a browser would submit them, PKCE as a client computes it.
 */
final class OAuthBrowser {

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpTestClient http;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    OAuthBrowser(HttpTestClient http) {
        this.http = http;
    }

    /** A PKCE verifier and its S256 challenge. */
    record Pkce(String verifier, String challenge) {

        static Pkce create() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            return new Pkce(verifier, s256(verifier));
        }

        static String s256(String verifier) {
            try {
                return Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    HttpResponse<String> get(String pathAndQuery) {
        return remember(http.send(withCookies(http.request(pathAndQuery)).GET().build()));
    }

    HttpResponse<String> postForm(String path, Map<String, String> form) {
        return remember(http.send(withCookies(http.request(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build()));
    }

    /** The hidden fields of the page's forms (the first value of each name), e.g. the CSRF token. */
    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1), matcher.group(2).replace("&amp;", "&"));
        }
        return fields;
    }

    /** The path and query of a redirect's target on this server. */
    static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(302, 303);
        URI target = URI.create(response.headers().firstValue("Location").orElseThrow());
        return target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    }

    /** The query parameters of a redirect's target (decoded). */
    static Map<String, String> redirectParameters(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow();
        return UriComponentsBuilder.fromUriString(location).build().getQueryParams().toSingleValueMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> decode(entry.getValue())));
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    boolean hasCookie(String name) {
        return cookies.containsKey(name);
    }

    private HttpRequest.Builder withCookies(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    private HttpResponse<String> remember(HttpResponse<String> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals);
            String value = pair.substring(equals + 1);
            if (value.isEmpty() || header.contains("Max-Age=0")) {
                cookies.remove(name);
            }
            else {
                cookies.put(name, value);
            }
        }
        return response;
    }
}
