package dev.switchboard.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.switchboard.Switchboard;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.TestDatabaseInitializer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

/**
 * Random reads and writes by users of one tenant aimed at another tenant's users and keys, through the HTTP
 * API: every one is refused (403/404), reveals nothing of the target, and changes nothing; every listing
 * holds only the caller's own tenant.
 */
class CrossTenantIsolationPropertyTests {

    static ConfigurableApplicationContext app;
    static HttpTestClient http;
    static Accounts accounts;
    static final List<Tenant> tenants = new ArrayList<>();

    record Key(String id, String secret) {
    }

    record Tenant(Session admin, Session member, List<Key> keys) {

        List<Session> users() {
            return List.of(admin, member);
        }
    }

    enum Kind { GET_USER, PATCH_USER, DELETE_USER, DELETE_KEY, CREATE_KEY_FOR, LIST_USERS, LIST_KEYS }

    record Operation(int actorTenant, boolean actorIsAdmin, int targetOffset, int targetIndex, Kind kind) {
    }

    @BeforeContainer
    static void startApplication() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.profiles.active=test"));
        arguments.addAll(List.of(TestDatabaseInitializer.freshDatabaseArguments()));
        app = new SpringApplicationBuilder(Switchboard.class).run(arguments.toArray(String[]::new));
        http = new HttpTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
        accounts = new Accounts(http);
        for (int i = 0; i < 3; i++) {
            Session admin = accounts.newTenantAdmin();
            Session member = accounts.newUser(admin, "MEMBER");
            List<Key> keys = new ArrayList<>();
            for (Session owner : List.of(admin, member)) {
                JsonNode key = HttpTestClient.json(accounts.send(owner, "POST", "/api/keys", "{\"name\":\"fixture\"}"));
                keys.add(new Key(key.path("id").asString(), key.path("key").asString()));
            }
            tenants.add(new Tenant(admin, member, keys));
        }
    }

    @AfterContainer
    static void stopApplication() {
        if (app != null) {
            app.close();
        }
    }

    @Provide
    Arbitrary<Operation> operations() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 1), Arbitraries.of(Kind.class))
                .as(Operation::new);
    }

    @Property(tries = 150)
    void nothingCrossesTenants(@ForAll("operations") Operation operation) {
        Tenant own = tenants.get(operation.actorTenant());
        Tenant target = tenants.get((operation.actorTenant() + operation.targetOffset()) % tenants.size());
        Session actor = operation.actorIsAdmin() ? own.admin() : own.member();
        Session targetUser = target.users().get(operation.targetIndex());
        Key targetKey = target.keys().get(operation.targetIndex());

        HttpResponse<String> response = switch (operation.kind()) {
            case GET_USER -> accounts.send(actor, "GET", "/api/users/" + targetUser.userId(), null);
            case PATCH_USER -> accounts.send(actor, "PATCH", "/api/users/" + targetUser.userId(), "{\"disabled\":true}");
            case DELETE_USER -> accounts.send(actor, "DELETE", "/api/users/" + targetUser.userId(), null);
            case DELETE_KEY -> accounts.send(actor, "DELETE", "/api/keys/" + targetKey.id(), null);
            case CREATE_KEY_FOR -> accounts.send(actor, "POST", "/api/keys",
                    "{\"name\":\"intrusion\",\"userId\":\"" + targetUser.userId() + "\"}");
            case LIST_USERS -> accounts.send(actor, "GET", "/api/users", null);
            case LIST_KEYS -> accounts.send(actor, "GET", "/api/keys?all=true", null);
        };

        if (operation.kind() == Kind.LIST_USERS || operation.kind() == Kind.LIST_KEYS) {
            assertThat(response.statusCode()).isIn(200, 403);
        }
        else {
            assertThat(response.statusCode()).as(operation + " -> " + response.body()).isIn(403, 404);
        }
        // Nothing of another tenant shows, except the one id the request itself named (echoed in a 404).
        String named = switch (operation.kind()) {
            case GET_USER, PATCH_USER, DELETE_USER, CREATE_KEY_FOR -> targetUser.userId().toString();
            case DELETE_KEY -> targetKey.id();
            case LIST_USERS, LIST_KEYS -> null;
        };
        tenants.stream().filter(other -> other != own).forEach(other -> {
            other.users().forEach(user -> {
                assertThat(response.body()).doesNotContain(user.email());
                if (!user.userId().toString().equals(named)) {
                    assertThat(response.body()).doesNotContain(user.userId().toString());
                }
            });
            other.keys().forEach(key -> {
                assertThat(response.body()).doesNotContain(key.secret());
                if (!key.id().equals(named)) {
                    assertThat(response.body()).doesNotContain(key.id());
                }
            });
        });
        // The target is untouched: its user still signs in, its key still works.
        assertThat(http.get("/api/auth/me", "Authorization", targetUser.bearer()).statusCode()).isEqualTo(200);
        assertThat(http.get("/api/auth/me", "X-API-Key", targetKey.secret()).statusCode()).isEqualTo(200);
    }
}
