package dev.switchboard.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts.Session;
import dev.switchboard.support.ApiTestSupport;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.MutableClock;
import dev.switchboard.support.OpenAiSdk;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java SDK talking to a persona through {@code /v1/responses}: every answer is parsed (and validated)
 * by the SDK's own models, stored responses are turns of the caller's sessions that {@code previous_response_id}
 * continues, {@code store: false} keeps nothing, and errors keep OpenAI's body.
 */
@IntegrationTest
class OpenAiResponsesIntegrationTests extends ApiTestSupport {

    static final FakeLlmServer PROVIDER = FakeLlmServer.start();

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {

        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void providers(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.oa.kind", () -> "openai");
        registry.add("switchboard.llm.providers.oa.base-url", () -> PROVIDER.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.oa.api-key", () -> "test-key");
        registry.add("switchboard.llm.providers.oa.max-retries", () -> "0");
        registry.add("switchboard.llm.default-chain", () -> "oa:gpt-responses");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
    }

    @Autowired
    MutableClock clock;

    Session admin;
    String key;
    OpenAIClient openai;

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void setUp() {
        PROVIDER.reset().always(Behaviour.reply("Plain answer."));
        admin = accounts.newTenantAdmin();
        key = accounts.apiKey(admin, "{\"name\":\"sdk\"}");
        openai = client(key);
        HttpResponse<String> created = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"helper\",\"name\":\"Helper\","
                + "\"instructions\":\"You are the helper.\",\"chain\":\"oa:gpt-responses\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterEach
    void close() {
        openai.close();
    }

    OpenAIClient client(String apiKey) {
        return OpenAiSdk.client(port, apiKey);
    }

    static ResponseCreateParams.Builder ask(String input) {
        return ResponseCreateParams.builder().model("helper").input(input);
    }

    static String text(Response response) {
        return response.output().stream().filter(ResponseOutputItem::isMessage).map(ResponseOutputItem::asMessage)
                .flatMap(m -> m.content().stream()).map(c -> c.asOutputText().text()).reduce("", String::concat);
    }

    @Test
    void aResponseIsAnsweredByThePersonaAndRetrievable() {
        Response response = openai.responses().create(ask("Hello there").instructions("Answer briefly.").temperature(0.2)
                .maxOutputTokens(100).build());

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(response.model().asString()).isEqualTo("helper");
        assertThat(text(response)).isEqualTo("Plain answer.");
        assertThat(response.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();
        JsonNode sent = PROVIDER.received().getLast().body();
        assertThat(sent.toString()).contains("You are the helper.", "Answer briefly.", "Hello there");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);

        Response again = openai.responses().retrieve(response.id());
        assertThat(again.id()).isEqualTo(response.id());
        assertThat(text(again)).isEqualTo("Plain answer.");
    }

    @Test
    void thePersonasKnowledgeIsRetrievedAndCitedAsFileCitations() {
        String knowledgeBase = HttpTestClient.json(accounts.send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Handbook\"}"))
                .path("id").asString();
        HttpResponse<String> uploaded = Uploads.document(http, admin.bearer(), knowledgeBase, "holiday.txt", ("Paid holiday. Every "
                + "employee gets 27 days of paid holiday per calendar year, plus public holidays.").getBytes(StandardCharsets.UTF_8));
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(202);
        String documentId = HttpTestClient.json(uploaded).path("id").asString();
        Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> HttpTestClient.json(accounts.send(admin, "GET",
                "/api/documents/" + documentId, null)).path("status").asString(), status -> status.equals("indexed"));
        HttpResponse<String> persona = accounts.send(admin, "POST", "/api/personas", "{\"slug\":\"librarian\",\"name\":"
                + "\"Librarian\",\"instructions\":\"Cite the handbook.\",\"chain\":\"oa:gpt-responses\",\"knowledgeBaseIds\":[\""
                + knowledgeBase + "\"]}");
        assertThat(persona.statusCode()).as(persona.body()).isEqualTo(201);
        PROVIDER.then(Behaviour.reply("You get 27 days of paid holiday [1]."));

        Response response = openai.responses().create(ResponseCreateParams.builder().model("librarian")
                .input("How many days of paid holiday do I get?").build());

        assertThat(PROVIDER.received().getLast().body().toString()).as("the passage reached the model").contains("27 days");
        var text = response.output().getFirst().asMessage().content().getFirst().asOutputText();
        assertThat(text.text()).isEqualTo("You get 27 days of paid holiday [1].");
        assertThat(text.annotations()).singleElement().satisfies(annotation -> {
            assertThat(annotation.asFileCitation().fileId()).isEqualTo(documentId);
            assertThat(annotation.asFileCitation().filename()).isEqualTo("holiday.txt");
            assertThat(annotation.asFileCitation().index()).isEqualTo(text.text().indexOf("[1]"));
        });
    }

    @Test
    void aStreamedResponseAssemblesInTheSdksAccumulator() {
        PROVIDER.then(Behaviour.reply("Streamed in several words."));
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = openai.responses().createStreaming(ask("Stream please").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        Response response = accumulator.response();
        assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
        assertThat(text(response)).isEqualTo("Streamed in several words.");
        assertThat(openai.responses().retrieve(response.id()).id()).as("a streamed response is stored too").isEqualTo(response.id());

        PROVIDER.then(Behaviour.reply("Streamed again."));
        HttpResponse<String> raw = rawCreate(key, "{\"model\":\"helper\",\"input\":\"Stream please\",\"stream\":true}");
        assertThat(raw.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith(
                "text/event-stream"));
        List<String> types = raw.body().lines().filter(line -> line.startsWith("event: ")).map(line -> line.substring(7)).toList();
        assertThat(types.getFirst()).isEqualTo("response.created");
        assertThat(types).containsSubsequence("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(types.getLast()).isEqualTo("response.completed");
    }

    static FunctionTool weather() {
        return FunctionTool.builder().name("get_weather").description("The weather in a city now.").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    @Test
    void theClientRunsItsFunctionAndThePreviousResponseContinues() {
        PROVIDER.then(Behaviour.callTool("call_1", "get_weather", "{\"city\":\"Oslo\"}"), Behaviour.reply("It is 18 degrees."));

        Response first = openai.responses().create(ask("What is the weather in Oslo?").addTool(weather()).build());

        ResponseFunctionToolCall call = first.output().stream().filter(ResponseOutputItem::isFunctionCall)
                .map(ResponseOutputItem::asFunctionCall).findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).contains("Oslo");
        assertThat(PROVIDER.received().getFirst().body().toString()).contains("get_weather");

        Response answer = openai.responses().create(ResponseCreateParams.builder().model("helper").previousResponseId(first.id())
                .addTool(weather()).inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(
                        ResponseInputItem.FunctionCallOutput.builder().callId(call.callId()).output("18 degrees, light rain").build())))
                .build());

        assertThat(text(answer)).isEqualTo("It is 18 degrees.");
        assertThat(answer.previousResponseId()).hasValue(first.id());
        String second = PROVIDER.received().getLast().body().toString();
        assertThat(second).as("the session's history (the question, the call) and the client's result reach the model")
                .contains("What is the weather in Oslo?", "18 degrees, light rain", "call_1");
    }

    @Test
    void anItemReferenceToAStoredCallContinuesAsTheVercelAiSdkDoes() {
        PROVIDER.then(Behaviour.callTool("call_2", "get_weather", "{\"city\":\"Bergen\"}"), Behaviour.reply("Rain in Bergen."));
        Response first = openai.responses().create(ask("Weather in Bergen?").addTool(weather()).build());
        ResponseFunctionToolCall call = first.output().getFirst().asFunctionCall();

        Response answer = openai.responses().create(ResponseCreateParams.builder().model("helper").addTool(weather())
                .inputOfResponse(List.of(ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                        .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("Weather in Bergen?").build()),
                        ResponseInputItem.ofItemReference(ResponseInputItem.ItemReference.builder().id(call.id().orElseThrow()).build()),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder().callId(call.callId())
                                .output("rain, 9 degrees").build())))
                .build());

        assertThat(text(answer)).isEqualTo("Rain in Bergen.");
        assertThat(PROVIDER.received().getLast().body().toString()).contains("call_2", "get_weather", "rain, 9 degrees");
    }

    @Test
    void previousResponseIdContinuesTheConversationAsASessionOfTheCaller() {
        PROVIDER.then(Behaviour.reply("Nice to meet you, Ada."), Behaviour.reply("Your name is Ada."));
        Response first = openai.responses().create(ask("My name is Ada.").build());
        Response second = openai.responses().create(ask("What is my name?").previousResponseId(first.id()).build());

        assertThat(text(second)).isEqualTo("Your name is Ada.");
        String sent = PROVIDER.received().getLast().body().toString();
        assertThat(sent).contains("My name is Ada.", "Nice to meet you, Ada.", "What is my name?");
        JsonNode sessions = HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions", null));
        assertThat(sessions.toString()).as("one session holds both turns").contains("My name is Ada.");
        String sessionId = HttpTestClient.json(http.get("/v1/responses/" + second.id(), "Authorization", "Bearer " + key))
                .path("switchboard").path("sessionId").asString();
        JsonNode messages = HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions/" + sessionId + "/messages", null));
        assertThat(messages.toString()).contains("What is my name?", "Your name is Ada.");

        assertThat(rawCreate(key, "{\"model\":\"helper\",\"input\":\"again\",\"previous_response_id\":\"" + first.id() + "\"}")
                .statusCode()).as("an older response cannot be branched from").isEqualTo(400);
    }

    @Test
    void storeFalseKeepsNothing() {
        int before = HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions", null)).toString().length();
        Response response = openai.responses().create(ask("Forget this").store(false).build());

        assertThat(text(response)).isEqualTo("Plain answer.");
        assertThatThrownBy(() -> openai.responses().retrieve(response.id())).isInstanceOf(NotFoundException.class);
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/sessions", null)).toString()).doesNotContain("Forget this")
                .hasSize(before);
    }

    @Test
    void deletingRemovesTheResponseFromTheCallersView() {
        Response response = openai.responses().create(ask("Delete me later").build());
        openai.responses().delete(response.id());

        assertThatThrownBy(() -> openai.responses().retrieve(response.id())).isInstanceOf(NotFoundException.class);
        HttpResponse<String> continued = rawCreate(key, "{\"model\":\"helper\",\"input\":\"more\",\"previous_response_id\":\""
                + response.id() + "\"}");
        assertThat(continued.statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> openai.responses().delete(response.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void anotherUsersResponseIsNotFound() {
        Response response = openai.responses().create(ask("Private question").build());
        Session member = accounts.newUser(admin, "MEMBER");
        String memberKey = accounts.apiKey(member, "{\"name\":\"m\"}");

        OpenAIClient other = client(memberKey);
        try {
            assertThatThrownBy(() -> other.responses().retrieve(response.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> other.responses().delete(response.id())).isInstanceOf(NotFoundException.class);
        }
        finally {
            other.close();
        }
        HttpResponse<String> continued = rawCreate(memberKey, "{\"model\":\"helper\",\"input\":\"hi\",\"previous_response_id\":\""
                + response.id() + "\"}");
        assertThat(continued.statusCode()).as(continued.body()).isEqualTo(404);
        JsonNode error = HttpTestClient.json(continued).path("error");
        assertThat(error.path("param").asString()).isEqualTo("previous_response_id");
        assertThat(error.path("code").asString()).isEqualTo("response_not_found");
        assertThat(openai.responses().retrieve(response.id()).id()).as("still there for its owner").isEqualTo(response.id());
    }

    @Test
    void anExpiredConversationAnswers410InOpenAisShape() {
        Response response = openai.responses().create(ask("Remember this").build());
        clock.advance(Duration.ofHours(25));
        try {
            HttpResponse<String> continued = rawCreate(key, "{\"model\":\"helper\",\"input\":\"still there?\","
                    + "\"previous_response_id\":\"" + response.id() + "\"}");
            assertThat(continued.statusCode()).as(continued.body()).isEqualTo(410);
            JsonNode error = HttpTestClient.json(continued).path("error");
            assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
            assertThat(error.path("code").asString()).isEqualTo("response_expired");
            assertThat(error.path("param").asString()).isEqualTo("previous_response_id");
            assertThat(openai.responses().retrieve(response.id()).id()).as("readable until purged").isEqualTo(response.id());
        }
        finally {
            clock.advance(Duration.ofHours(-25));
        }
    }

    @Test
    void badRequestsAreOpenAiErrorsNamingTheParameter() {
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"background\":true}", 400)).isEqualTo("background");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_object\"}}}", 400))
                .isEqualTo("text.format");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"previous_response_id\":\"resp_0123456789abcdef0123456789abcdef\"}",
                404)).isEqualTo("previous_response_id");
        assertThat(rejected("{\"model\":\"helper\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_x\","
                + "\"output\":\"42\"}]}", 400)).isEqualTo("input[0].call_id");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"get weather!\"}]}",
                400)).isEqualTo("tools[0].name");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}", 400))
                .isEqualTo("tools[0].type");
        assertThat(rejected("{\"model\":\"helper\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}", 400))
                .isEqualTo("input[0].id");
        assertThat(rejected("{\"model\":\"helper\",\"input\":[{\"type\":\"input_file\",\"file_id\":\"x\"}]}", 400))
                .isEqualTo("input[0].type");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"max_output_tokens\":0}", 400)).isEqualTo("max_output_tokens");
        assertThat(rejected("{\"input\":\"hi\"}", 400)).isEqualTo("model");
        assertThat(rejected("{\"model\":\"helper\",\"input\":\"hi\",\"store\":false,\"previous_response_id\":\"resp_x\"}", 400))
                .isEqualTo("store");
        assertThat(PROVIDER.received()).as("nothing reached the model").isEmpty();

        HttpResponse<String> unknownModel = rawCreate(key, "{\"model\":\"nobody\",\"input\":\"hi\"}");
        assertThat(unknownModel.statusCode()).isEqualTo(404);
        assertThat(HttpTestClient.json(unknownModel).path("error").path("code").asString()).isEqualTo("model_not_found");

        HttpResponse<String> tooLarge = rawCreate(key, "{\"model\":\"helper\",\"input\":\"" + "a".repeat(1_100_000) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(HttpTestClient.json(tooLarge).path("error").path("message").asString()).isNotBlank();
    }

    HttpResponse<String> rawCreate(String apiKey, String body) {
        return http.send(http.request("/v1/responses").header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends a raw request the SDK would not build; returns the error's {@code param}. */
    String rejected(String body, int status) {
        return OpenAiSdk.invalidRequestParam(rawCreate(key, body), status);
    }
}
