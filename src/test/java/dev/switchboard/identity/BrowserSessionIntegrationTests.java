package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/** Browser sign-in: httpOnly Secure SameSite=Strict cookies, and CSRF tokens for cookie-authenticated writes. */
@IntegrationTest
class BrowserSessionIntegrationTests {

    @LocalServerPort
    int port;

    HttpTestClient http;
    Session admin;

    @BeforeEach
    void tenant() {
        http = new HttpTestClient(port);
        admin = new Accounts(http).newTenantAdmin();
    }

    @Test
    void cookieLoginSetsHardenedCookiesAndReturnsNoTokens() {
        HttpResponse<String> login = cookieLogin();
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("csrfToken").doesNotContain("accessToken", "refreshToken");
        List<String> setCookies = login.headers().allValues("Set-Cookie");
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("SB_SESSION=").contains("HttpOnly", "Secure", "SameSite=Strict",
                "Path=/"));
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("SB_REFRESH=").contains("HttpOnly", "Secure", "Path=/api/auth"));
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("SB_CSRF=").doesNotContain("HttpOnly").contains("Secure"));
    }

    @Test
    void cookiesAuthenticateReadsAndWritesNeedTheCsrfToken() {
        Map<String, String> cookies = cookies(cookieLogin());
        String cookieHeader = header(cookies);
        assertThat(http.get("/api/auth/me", "Cookie", cookieHeader).statusCode()).isEqualTo(200);

        HttpResponse<String> withoutToken = http.send(http.request("/api/keys").header("Cookie", cookieHeader)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"b\"}")).build());
        assertProblem(withoutToken, 403, "csrf");

        HttpResponse<String> wrongToken = http.send(http.request("/api/keys").header("Cookie", cookieHeader)
                .header("X-CSRF-Token", "forged").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"b\"}")).build());
        assertProblem(wrongToken, 403, "csrf");

        HttpResponse<String> withToken = http.send(http.request("/api/keys").header("Cookie", cookieHeader)
                .header("X-CSRF-Token", cookies.get("SB_CSRF")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"b\"}")).build());
        assertThat(withToken.statusCode()).isEqualTo(201);
    }

    @Test
    void aHeaderThatAuthenticatesNothingExemptsNothingFromCsrf() {
        String cookieHeader = header(cookies(cookieLogin()));
        for (String[] bogus : new String[][] {{"Authorization", "Basic Zm9vOmJhcg=="}, {"Authorization", "Negotiate abc"}}) {
            HttpResponse<String> response = http.send(http.request("/api/keys").header("Cookie", cookieHeader)
                    .header(bogus[0], bogus[1]).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"forged\"}")).build());
            assertProblem(response, 403, "csrf");
        }
    }

    @Test
    void bearerRequestsNeedNoCsrfToken() {
        HttpResponse<String> response = http.send(http.request("/api/keys").header("Authorization", admin.bearer())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());
        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void refreshAndLogoutWorkFromCookies() {
        Map<String, String> cookies = cookies(cookieLogin());
        HttpResponse<String> refreshed = http.send(http.request("/api/auth/refresh").header("Cookie", header(cookies))
                .header("X-CSRF-Token", cookies.get("SB_CSRF")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        Map<String, String> renewed = cookies(refreshed);
        assertThat(renewed.get("SB_REFRESH")).isNotEqualTo(cookies.get("SB_REFRESH"));

        HttpResponse<String> logout = http.send(http.request("/api/auth/logout").header("Cookie", header(renewed))
                .header("X-CSRF-Token", renewed.get("SB_CSRF")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("SB_SESSION=;").contains(
                "Max-Age=0"));
        assertProblem(http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + renewed.get("SB_REFRESH") + "\"}"),
                401, "invalid-credentials");
    }

    @Test
    void withoutRememberMeTheCookiesEndWithTheBrowserAndWithItTheyLastAsLongAsTheRefreshToken() {
        List<String> browserSession = cookieLogin().headers().allValues("Set-Cookie");
        assertThat(browserSession).filteredOn(c -> !c.startsWith("SB_REMEMBER=")).hasSize(3)
                .allSatisfy(c -> assertThat(c).doesNotContain("Max-Age", "Expires"));

        HttpResponse<String> remembered = http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\""
                + Accounts.PASSWORD + "\",\"cookie\":true,\"remember\":true}");
        assertThat(remembered.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("SB_REFRESH=").contains("Max-Age=2592000"))
                .anySatisfy(c -> assertThat(c).startsWith("SB_CSRF=").contains("Max-Age=2592000"))
                .anySatisfy(c -> assertThat(c).startsWith("SB_REMEMBER=1").contains("HttpOnly", "Path=/api/auth", "Max-Age=2592000"))
                .anySatisfy(c -> assertThat(c).startsWith("SB_SESSION=").contains("Max-Age=900"));

        // Each renewal keeps the choice.
        Map<String, String> cookies = cookies(remembered);
        HttpResponse<String> renewed = http.send(http.request("/api/auth/refresh").header("Cookie", header(cookies))
                .header("X-CSRF-Token", cookies.get("SB_CSRF")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(renewed.headers().allValues("Set-Cookie"))
                .anySatisfy(c -> assertThat(c).startsWith("SB_REFRESH=").contains("Max-Age=2592000"));
    }

    private HttpResponse<String> cookieLogin() {
        return http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\"" + Accounts.PASSWORD
                + "\",\"cookie\":true}");
    }

    private static Map<String, String> cookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().map(c -> c.substring(0, c.indexOf(';')))
                .filter(pair -> pair.indexOf('=') < pair.length() - 1)
                .collect(Collectors.toMap(pair -> pair.substring(0, pair.indexOf('=')), pair -> pair.substring(pair.indexOf('=') + 1),
                        (a, b) -> b));
    }

    private static String header(Map<String, String> cookies) {
        return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
