package dev.switchboard.identity;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.SchemaOwner;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AuthenticationIntegrationTests extends ApiTestSupport {

    @Autowired
    JwtEncoder jwtEncoder;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Test
    void bootstrapAdminSignsInAndSeesThemselves() {
        Session admin = accounts.login("admin@bootstrap.test", "bootstrap-admin-password-1");
        JsonNode me = HttpTestClient.json(http.get("/api/auth/me", "Authorization", admin.bearer()));
        assertThat(me.path("role").asString()).isEqualTo("ADMIN");
        assertThat(me.path("tenant").path("slug").asString()).isEqualTo("default");
    }

    @Test
    void loginReturnsBothTokens() {
        Session admin = accounts.newTenantAdmin();
        JsonNode tokens = HttpTestClient.json(http.postJson("/api/auth/login",
                "{\"email\":\"" + admin.email() + "\",\"password\":\"" + Accounts.PASSWORD + "\"}"));
        assertThat(tokens.path("tokenType").asString()).isEqualTo("Bearer");
        assertThat(tokens.path("expiresIn").asInt()).isEqualTo(900);
        assertThat(tokens.path("accessToken").asString()).startsWith("eyJ");
        assertThat(tokens.path("refreshToken").asString()).startsWith("sbr_");
    }

    @Test
    void unknownEmailAndWrongPasswordAreRefusedAlike() {
        Session admin = accounts.newTenantAdmin();
        HttpResponse<String> wrong = http.postJson("/api/auth/login",
                "{\"email\":\"" + admin.email() + "\",\"password\":\"not-the-password-at-all\"}");
        HttpResponse<String> unknown = http.postJson("/api/auth/login",
                "{\"email\":\"nobody-" + admin.userId() + "@example.test\",\"password\":\"not-the-password-at-all\"}");
        JsonNode a = assertProblem(wrong, 401, "invalid-credentials");
        JsonNode b = assertProblem(unknown, 401, "invalid-credentials");
        assertThat(a.path("detail")).isEqualTo(b.path("detail"));
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void protectedEndpointsNeedAToken() {
        HttpResponse<String> response = http.get("/api/auth/me");
        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"switchboard\"");
    }

    @Test
    void refreshRotatesAndReuseRevokesTheWholeFamily() {
        Session admin = accounts.newTenantAdmin();
        JsonNode second = HttpTestClient.json(refresh(admin.refreshToken()));
        String newest = second.path("refreshToken").asString();
        assertThat(newest).isNotEqualTo(admin.refreshToken());
        assertThat(http.get("/api/auth/me", "Authorization", "Bearer " + second.path("accessToken").asString()).statusCode())
                .isEqualTo(200);

        assertProblem(refresh(admin.refreshToken()), 401, "invalid-credentials");
        assertProblem(refresh(newest), 401, "invalid-credentials");
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        assertProblem(refresh("sbr_this-token-was-never-issued"), 401, "invalid-credentials");
        assertProblem(refresh("not-even-our-format"), 401, "invalid-credentials");
    }

    @Test
    void logoutWithRefreshTokenEndsThatSignIn() {
        Session admin = accounts.newTenantAdmin();
        assertThat(http.postJson("/api/auth/logout", "{\"refreshToken\":\"" + admin.refreshToken() + "\"}").statusCode())
                .isEqualTo(204);
        assertProblem(refresh(admin.refreshToken()), 401, "invalid-credentials");
    }

    @Test
    void logoutWithAccessTokenEndsEverySession() {
        Session admin = accounts.newTenantAdmin();
        assertThat(accounts.send(admin, "POST", "/api/auth/logout", null).statusCode()).isEqualTo(204);
        assertProblem(http.get("/api/auth/me", "Authorization", admin.bearer()), 401, "unauthorized");
        assertProblem(refresh(admin.refreshToken()), 401, "invalid-credentials");
    }

    @Test
    void aRefreshTokenThatEscapedSignOutEverywhereIsRefused() {
        Session admin = accounts.newTenantAdmin();
        assertThat(accounts.send(admin, "POST", "/api/auth/logout", null).statusCode()).isEqualTo(204);
        // A refresh racing "sign out everywhere" commits its new token after the revocation's update has run:
        // the token exists, unrevoked, minted before the sessions ended. Leave one behind as the race does.
        SchemaOwner.update(jdbc, "update refresh_tokens set revoked_at = null where user_id = '" + admin.userId() + "'");
        assertProblem(refresh(admin.refreshToken()), 401, "invalid-credentials");
    }

    @Test
    void aRefreshThatRacesSignOutEverywhereMintsNothingThatOutlivesIt() throws Exception {
        Session admin = accounts.newTenantAdmin();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<HttpResponse<String>> refreshed;
        Future<HttpResponse<String>> signedOut;
        // Holding the refresh token's row lock, queue the refresh and then the sign-out behind it; released, the
        // refresh commits its new token while the sign-out's revocation is already under way.
        try (Connection owner = dataSource.getConnection(); Statement statement = owner.createStatement()) {
            statement.execute("reset role");
            owner.setAutoCommit(false);
            try {
                statement.execute("select id from refresh_tokens where user_id = '" + admin.userId() + "' for update");
                refreshed = pool.submit(() -> refresh(admin.refreshToken()));
                await().atMost(Duration.ofSeconds(20)).until(() -> sessionsWaitingForALock() == 1);
                signedOut = pool.submit(() -> accounts.send(admin, "POST", "/api/auth/logout", null));
                await().atMost(Duration.ofSeconds(20)).until(() -> sessionsWaitingForALock() == 2);
            }
            finally {
                owner.rollback();
                owner.setAutoCommit(true);
                statement.execute("set role switchboard_app");
            }
        }
        finally {
            pool.shutdown();
        }
        HttpResponse<String> raced = refreshed.get(30, TimeUnit.SECONDS);
        assertThat(raced.statusCode()).as(raced.body()).isEqualTo(200);
        assertThat(signedOut.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        JsonNode minted = HttpTestClient.json(raced);
        assertProblem(refresh(minted.path("refreshToken").asString()), 401, "invalid-credentials");
        assertProblem(http.get("/api/auth/me", "Authorization", "Bearer " + minted.path("accessToken").asString()),
                401, "unauthorized");
    }

    private int sessionsWaitingForALock() {
        return Integer.parseInt(SchemaOwner.strings(jdbc, "select count(*) from pg_stat_activity "
                + "where wait_event_type = 'Lock' and datname = current_database()").getFirst());
    }

    @Test
    void changingThePasswordEndsEverySessionAndChecksTheCurrentOne() {
        Session admin = accounts.newTenantAdmin();
        Session other = accounts.login(admin.email(), Accounts.PASSWORD);
        String newPassword = "another-perfectly-fine-password-7";
        assertProblem(accounts.send(admin, "POST", "/api/auth/password",
                "{\"currentPassword\":\"wrong-password-entirely\",\"newPassword\":\"" + newPassword + "\"}"), 400, "wrong-password");
        assertProblem(accounts.send(admin, "POST", "/api/auth/password",
                "{\"currentPassword\":\"" + Accounts.PASSWORD + "\",\"newPassword\":\"short\"}"), 400, "weak-password");
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"k\",\"scopes\":[\"admin\"]}"))
                .path("key").asString();
        HttpResponse<String> byKey = http.send(http.request("/api/auth/password").header("X-API-Key", key)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"currentPassword\":\"" + Accounts.PASSWORD + "\",\"newPassword\":\"" + newPassword + "\"}")).build());
        assertProblem(byKey, 403, "forbidden");

        assertThat(accounts.send(admin, "POST", "/api/auth/password", "{\"currentPassword\":\"" + Accounts.PASSWORD
                + "\",\"newPassword\":\"" + newPassword + "\"}").statusCode()).isEqualTo(204);
        for (Session ended : List.of(admin, other)) {
            assertProblem(http.get("/api/auth/me", "Authorization", ended.bearer()), 401, "unauthorized");
            assertProblem(refresh(ended.refreshToken()), 401, "invalid-credentials");
        }
        assertProblem(http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\""
                + Accounts.PASSWORD + "\"}"), 401, "invalid-credentials");
        assertThat(accounts.login(admin.email(), newPassword).userId()).isEqualTo(admin.userId());
    }

    @Test
    void forgedTokensAreRefused() {
        Session admin = accounts.newTenantAdmin();
        String expired = sign(jwtEncoder, admin, Instant.now().minusSeconds(3600), Instant.now().minusSeconds(60));
        String otherKey = sign(new NimbusJwtEncoder(new ImmutableSecret<>(new SecretKeySpec(
                "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), "HmacSHA256"))), admin,
                Instant.now(), Instant.now().plusSeconds(600));
        String[] valid = admin.accessToken().split("\\.");
        String none = b64("{\"alg\":\"none\"}") + "." + valid[1] + ".";
        String tampered = valid[0] + "." + b64(new String(Base64.getUrlDecoder().decode(valid[1]), StandardCharsets.UTF_8)
                .replace("\"ADMIN\"", "\"ADMIN\",\"x\"")) + "." + valid[2];
        for (String token : List.of(expired, otherKey, none, tampered, "garbage")) {
            HttpResponse<String> response = http.get("/api/auth/me", "Authorization", "Bearer " + token);
            assertProblem(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        }
    }

    @Test
    void tokensOfDisabledUsersAreRefusedAtOnce() {
        Session admin = accounts.newTenantAdmin();
        Session member = accounts.newUser(admin, "MEMBER");
        assertThat(http.get("/api/auth/me", "Authorization", member.bearer()).statusCode()).isEqualTo(200);
        assertThat(accounts.send(admin, "PATCH", "/api/users/" + member.userId(), "{\"disabled\":true}").statusCode())
                .isEqualTo(200);
        assertProblem(http.get("/api/auth/me", "Authorization", member.bearer()), 401, "unauthorized");
        assertProblem(refresh(member.refreshToken()), 401, "invalid-credentials");
        assertProblem(http.postJson("/api/auth/login", "{\"email\":\"" + member.email() + "\",\"password\":\""
                + Accounts.PASSWORD + "\"}"), 401, "invalid-credentials");
    }

    @Test
    void credentialsOfADeletedTenantAreRefused() {
        Session admin = accounts.newTenantAdmin();
        String key = HttpTestClient.json(accounts.send(admin, "POST", "/api/keys", "{\"name\":\"k\"}")).path("key").asString();
        // There is no API to delete a tenant yet: mark it deleted as the schema owner would.
        SchemaOwner.update(jdbc, "update tenants set deleted_at = now() where id = '" + admin.tenantId() + "'");
        assertProblem(http.get("/api/auth/me", "Authorization", admin.bearer()), 401, "unauthorized");
        assertProblem(http.postJson("/api/auth/login", "{\"email\":\"" + admin.email() + "\",\"password\":\""
                + Accounts.PASSWORD + "\"}"), 401, "invalid-credentials");
        assertProblem(refresh(admin.refreshToken()), 401, "invalid-credentials");
        // The key was never used, so nothing is cached: its look-up sees the deleted tenant.
        assertProblem(http.get("/api/auth/me", "X-API-Key", key), 401, "unauthorized");
    }

    @Test
    void signupValidatesItsInput() {
        JsonNode body = assertProblem(http.postJson("/api/auth/signup",
                "{\"tenant\":\"Bad Name\",\"email\":\"not-an-email\",\"password\":\"short\"}"), 400, "validation");
        assertThat(body.path("errors").findValuesAsString("field")).contains("tenant", "email");
        assertProblem(http.postJson("/api/auth/signup",
                "{\"tenant\":\"weak-" + System.nanoTime() + "\",\"email\":\"weak@example.test\",\"password\":\"short\"}"),
                400, "weak-password");
    }

    @Test
    void signupRefusesATakenTenantName() {
        Session admin = accounts.newTenantAdmin();
        String slug = HttpTestClient.json(http.get("/api/auth/me", "Authorization", admin.bearer()))
                .path("tenant").path("slug").asString();
        assertProblem(http.postJson("/api/auth/signup", "{\"tenant\":\"" + slug + "\",\"email\":\"x" + System.nanoTime()
                + "@example.test\",\"password\":\"" + Accounts.PASSWORD + "\"}"), 409, "tenant-exists");
    }

    private HttpResponse<String> refresh(String token) {
        return http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + token + "\"}");
    }

    private static String sign(JwtEncoder encoder, Session session, Instant issuedAt, Instant expiresAt) {
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer("switchboard").subject(session.userId().toString())
                .issuedAt(issuedAt).expiresAt(expiresAt).claim("tenant", session.tenantId().toString())
                .claim("roles", List.of("ADMIN")).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
