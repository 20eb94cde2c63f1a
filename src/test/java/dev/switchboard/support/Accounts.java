package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** Creates tenants and users through the public API, as a client would. */
public final class Accounts {

    public static final String PASSWORD = "a-perfectly-fine-password-42";

    private final HttpTestClient http;

    public Accounts(HttpTestClient http) {
        this.http = http;
    }

    /** A signed-in user: ids and tokens. */
    public record Session(UUID userId, UUID tenantId, String email, String accessToken, String refreshToken) {

        public String bearer() {
            return "Bearer " + accessToken;
        }
    }

    /** Signs up a new tenant with a fresh admin and signs the admin in. */
    public Session newTenantAdmin() {
        String slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
        String email = "admin-" + UUID.randomUUID() + "@" + slug + ".test";
        HttpResponse<String> signup = http.postJson("/api/auth/signup",
                "{\"tenant\":\"" + slug + "\",\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(signup.statusCode()).as(signup.body()).isEqualTo(201);
        return login(email, PASSWORD);
    }

    /** Adds a user to the admin's tenant and signs them in. */
    public Session newUser(Session admin, String role) {
        String email = role.toLowerCase() + "-" + UUID.randomUUID() + "@example.test";
        HttpResponse<String> created = send(admin, "POST", "/api/users",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return login(email, PASSWORD);
    }

    public Session login(String email, String password) {
        HttpResponse<String> response = http.postJson("/api/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode tokens = HttpTestClient.json(response);
        JsonNode me = HttpTestClient.json(http.get("/api/auth/me", "Authorization", "Bearer " + tokens.path("accessToken").asString()));
        return new Session(UUID.fromString(me.path("id").asString()), UUID.fromString(me.path("tenant").path("id").asString()),
                email, tokens.path("accessToken").asString(), tokens.path("refreshToken").asString());
    }

    /** A new API key of the session's user, created with {@code json} (name, scopes, tier, ...): its secret. */
    public String apiKey(Session session, String json) {
        HttpResponse<String> created = send(session, "POST", "/api/keys", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return HttpTestClient.json(created).path("key").asString();
    }

    /** A request with the session's access token and, when given, a JSON body. */
    public HttpResponse<String> send(Session session, String method, String path, String json) {
        HttpRequest.Builder builder = http.request(path).header("Authorization", session.bearer());
        if (json != null) {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(builder.build());
    }
}
