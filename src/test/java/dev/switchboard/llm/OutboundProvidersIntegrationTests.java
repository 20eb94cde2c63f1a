package dev.switchboard.llm;

import static dev.switchboard.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.llm.internal.provider.ProviderKind;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Every provider kind connects only to addresses checked when the connection is made: a name that pointed at a
 * public address when it was registered and at loopback when called is refused then; a provider's redirect is
 * not followed; the operator's allow-list (here 127.0.0.1/32 and ::1/128, see application-test.yml) opens what
 * it names and nothing else. Names are resolved by a test resolver the test changes between the steps.
 */
@IntegrationTest
@Import(OutboundProvidersIntegrationTests.ChangingResolver.class)
class OutboundProvidersIntegrationTests extends ApiTestSupport {

    /** What the test says a name resolves to; the system resolver for every other name. */
    static class ChangingResolver implements OutboundResolver {

        final Map<String, InetAddress> answers = new ConcurrentHashMap<>();

        @Override
        public List<InetAddress> resolve(String host) throws UnknownHostException {
            InetAddress answer = answers.get(host);
            return answer != null ? List.of(answer) : SYSTEM.resolve(host);
        }

        void point(String host, String address) throws UnknownHostException {
            answers.put(host, InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress()));
        }
    }

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();
    static final FakeLlmServer ELSEWHERE = FakeLlmServer.start();

    @Autowired
    ChangingResolver resolver;

    Session admin;

    @AfterAll
    static void stop() {
        PROVIDER.close();
        ELSEWHERE.close();
    }

    @BeforeEach
    void reset() {
        PROVIDER.reset().always(Behaviour.reply("Provider answers."));
        ELSEWHERE.reset().always(Behaviour.reply("Somebody else answers."));
        admin = accounts.newTenantAdmin();
    }

    static String baseUrl(ProviderKind kind, String root) {
        return kind == ProviderKind.OPENAI ? root + "/v1" : root;
    }

    HttpResponse<String> register(String id, ProviderKind kind, String baseUrl) {
        return accounts.send(admin, "POST", "/api/providers", "{\"id\":\"" + id + "\",\"kind\":\"" + kind.id() + "\",\"baseUrl\":\""
                + baseUrl + "\",\"apiKey\":\"test-key\",\"maxRetries\":0,\"models\":[{\"name\":\"m\"}]}");
    }

    HttpResponse<String> call(String id) {
        return accounts.send(admin, "POST", "/api/providers/test", "{\"prompt\":\"Say hello\",\"chain\":\"" + id + ":m\"}");
    }

    static List<String> outcomes(HttpResponse<String> response) {
        return HttpTestClient.json(response).path("attempts").findValuesAsString("outcome");
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void aNameThatTurnsToLoopbackAfterRegistrationIsRefusedWhenCalled(ProviderKind kind) throws UnknownHostException {
        String id = "rebind-" + kind.id();
        String host = id + ".example.test";
        int port = Integer.parseInt(PROVIDER.baseUrl().substring(PROVIDER.baseUrl().lastIndexOf(':') + 1));
        resolver.point(host, "93.184.215.14");
        assertThat(register(id, kind, baseUrl(kind, "http://" + host + ":" + port)).statusCode()).isEqualTo(201);

        resolver.point(host, "127.0.0.2");
        HttpResponse<String> refused = call(id);

        assertThat(outcomes(refused)).first().isEqualTo("destination_refused");
        assertThat(PROVIDER.received()).isEmpty();
        assertThat(refused.body()).doesNotContain("127.0.0.2");

        // The same name pointed at the opened address is dialled there (the system resolver does not know it).
        resolver.point(host, "127.0.0.1");
        JsonNode answered = HttpTestClient.json(call(id));
        assertThat(answered.path("content").asString()).isEqualTo("Provider answers.");
        assertThat(PROVIDER.received()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(ProviderKind.class)
    void aRedirectIsNotFollowed(ProviderKind kind) {
        String id = "redirect-" + kind.id();
        assertThat(register(id, kind, baseUrl(kind, PROVIDER.baseUrl())).statusCode()).isEqualTo(201);
        PROVIDER.always(new Behaviour.Redirect(ELSEWHERE.baseUrl() + "/elsewhere"));

        HttpResponse<String> response = call(id);

        assertThat(PROVIDER.received()).hasSize(1);
        assertThat(ELSEWHERE.received()).as("the redirect's target is never called").isEmpty();
        assertThat(response.body()).doesNotContain("Somebody else answers.");
        assertThat(outcomes(response)).first().isNotEqualTo("answered");
    }

    @Test
    void theAllowListOpensWhatItNamesAndNothingElse() throws UnknownHostException {
        String port = PROVIDER.baseUrl().substring(PROVIDER.baseUrl().lastIndexOf(':') + 1);
        assertThat(register("opened", ProviderKind.OLLAMA, PROVIDER.baseUrl()).statusCode()).isEqualTo(201);
        assertThat(HttpTestClient.json(call("opened")).path("content").asString()).isEqualTo("Provider answers.");

        resolver.point("internal.example.test", "10.1.2.3");
        for (String url : List.of("http://127.0.0.2:" + port, "http://10.1.2.3", "http://100.64.0.1", "http://198.18.0.1",
                "http://[::ffff:169.254.169.254]", "http://[64:ff9b::a01:203]", "http://[2002:a01:203::1]", "http://[fd00::1]",
                "http://internal.example.test")) {
            JsonNode problem = assertProblem(register("closed", ProviderKind.OLLAMA, url), 422, "destination-refused");
            assertThat(problem.path("detail").asString()).as(url).contains("switchboard.security.outbound.allowed-networks");
        }
        assertThat(assertProblem(register("closed", ProviderKind.OLLAMA, "http://internal.example.test"), 422, "destination-refused")
                .path("detail").asString())
                .contains("internal.example.test", "private-use network 10.0.0.0/8")
                .doesNotContain("10.1.2.3");
        assertThat(accounts.send(admin, "GET", "/api/providers", null).body()).doesNotContain("\"closed\"");
    }
}
