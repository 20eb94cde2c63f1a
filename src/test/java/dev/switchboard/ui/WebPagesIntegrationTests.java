package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/** The web app's pages over HTTP: who sees which page, their security headers, and the libraries served from the jar. */
@IntegrationTest
class WebPagesIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;

    @BeforeEach
    void client() {
        http = new HttpTestClient(port);
    }

    @Test
    void anonymousBrowsersAreSentToSignInAndStaleSessionsToo() {
        for (String page : List.of("/", "/account/password")) {
            assertRedirect(http.get(page), "/sign-in");
            assertRedirect(http.get(page, "Cookie", "SB_SESSION=not-a-token"), "/sign-in");
        }
        assertRedirect(http.get("/setup"), "/sign-in");
        assertRedirect(http.get("/admin"), "/sign-in");
    }

    @Test
    void theAdminConsoleIsTheAdminsOnly() {
        Accounts accounts = new Accounts(http);
        Accounts.Session admin = accounts.newTenantAdmin();
        Accounts.Session member = accounts.newUser(admin, "MEMBER");
        HttpResponse<String> console = http.get("/admin", "Cookie", sessionCookie(admin));
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("Admin console");
        String memberSession = sessionCookie(member);
        HttpResponse<String> refused = http.get("/admin", "Cookie", memberSession);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("This page is for administrators").doesNotContain("Admin console");
        assertThat(http.get("/admin/anything", "Cookie", memberSession).statusCode()).isEqualTo(403);
        assertThat(http.get("/", "Cookie", memberSession).body()).doesNotContain("href=\"/admin\"");
    }

    @Test
    void theSessionCookieShowsTheUsersPages() {
        Accounts.Session admin = new Accounts(http).newTenantAdmin();
        String session = sessionCookie(admin);
        HttpResponse<String> chat = http.get("/", "Cookie", session);
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains(admin.email(), "Sign out");
        assertThat(http.get("/account/password", "Cookie", session).statusCode()).isEqualTo(200);
        assertRedirect(http.get("/sign-in", "Cookie", session), "/");
    }

    @Test
    void pagesForbidInlineStyleAndScriptAndKeepReferrersInTheOrigin() {
        HttpResponse<String> page = http.get("/sign-in");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "style-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
        assertThat(page.body()).doesNotContain("style=\"", "<style").doesNotContainPattern("<script(?![^>]*\\bsrc=)");
    }

    @Test
    void theLibrariesAreServedFromTheJarAsJavaScript() {
        for (String library : List.of("/webjars/htmx.org/dist/htmx.min.js", "/webjars/marked/lib/marked.esm.js",
                "/webjars/dompurify/dist/purify.es.mjs", "/app/app.js", "/app/theme-init.js",
                "/app/chart.js", "/webjars/uplot/dist/uPlot.iife.min.js")) {
            HttpResponse<String> response = http.get(library);
            assertThat(response.statusCode()).as(library).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(library)
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        }
        HttpResponse<String> css = http.get("/app/app.css");
        assertThat(css.statusCode()).isEqualTo(200);
        // The palette is written once, as light-dark() pairs: the system's scheme, unless data-theme names one.
        assertThat(css.body()).contains("color-scheme: light dark", "light-dark(", "[data-theme=\"dark\"]", ":focus-visible")
                .doesNotContain("prefers-color-scheme");
    }

    @Test
    void textIsSentGzippedToBrowsersThatAcceptIt() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String file : List.of("/app/app.css", "/app/chat.js", "/webjars/htmx.org/dist/htmx.min.js")) {
            HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + file))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gzipped.statusCode()).as(file).isEqualTo(200);
            assertThat(gzipped.headers().firstValue("Content-Encoding")).as(file).hasValue("gzip");
            String plain = http.get(file).body();
            assertThat(gunzip(gzipped.body())).as(file).isEqualTo(plain);
            assertThat(gzipped.body().length).as(file).isLessThan(plain.getBytes(StandardCharsets.UTF_8).length / 2);
        }
        HttpResponse<byte[]> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sign-in"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(page.headers().firstValue("Content-Encoding")).as("a page").hasValue("gzip");
        assertThat(gunzip(page.body())).contains("<form");
    }

    private static String gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void staticFilesAreCachedAndRevalidatedPagesAreNot() {
        for (String file : List.of("/app/app.css", "/app/app.js", "/webjars/htmx.org/dist/htmx.min.js")) {
            HttpResponse<String> first = http.get(file);
            assertThat(first.headers().firstValue("Cache-Control")).as(file)
                    .hasValueSatisfying(value -> assertThat(value).contains("no-cache").doesNotContain("no-store"));
            String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
            assertThat(http.get(file, "If-Modified-Since", lastModified).statusCode()).as(file).isEqualTo(304);
        }
        assertThat(http.get("/sign-in").headers().firstValue("Cache-Control"))
                .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
    }

    /** A browser session of the user: the SB_SESSION cookie of a cookie sign-in. */
    private String sessionCookie(Accounts.Session user) {
        HttpResponse<String> login = http.postJson("/api/auth/login",
                "{\"email\":\"" + user.email() + "\",\"password\":\"" + Accounts.PASSWORD + "\",\"cookie\":true}");
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SB_SESSION="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    }

    private static void assertRedirect(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith(path));
    }
}
