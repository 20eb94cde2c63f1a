package dev.switchboard.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fake provider speaks each wire format and fails on demand, over real HTTP. */
class FakeLlmServerTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TEXT = "Paris is the capital of France.";

    final FakeLlmServer fake = new FakeLlmServer();
    final HttpClient http = HttpClient.newHttpClient();

    FakeLlmServerTests() throws IOException {
        fake.always(Behaviour.reply(TEXT));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void openAiJsonAndStream() throws Exception {
        JsonNode complete = json(post("/v1/chat/completions",
                "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital?\"}]}"));
        assertThat(complete.path("choices").get(0).path("message").path("content").asString()).isEqualTo(TEXT);
        assertThat(complete.path("usage").path("completion_tokens").asInt()).isEqualTo(6);

        HttpResponse<String> stream = post("/v1/chat/completions",
                "{\"model\":\"gpt-x\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}");
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<JsonNode> chunks = stream.body().lines().filter(l -> l.startsWith("data: {")).map(l -> JSON.readTree(l.substring(6))).toList();
        assertThat(chunks.stream().filter(c -> !c.path("choices").isEmpty())
                .map(c -> c.path("choices").get(0).path("delta").path("content").asString("")).collect(Collectors.joining())).isEqualTo(
                        TEXT);
        assertThat(chunks.getLast().path("usage").path("completion_tokens").asInt()).isEqualTo(6);
        assertThat(stream.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void anthropicJsonAndStream() throws Exception {
        JsonNode complete = json(post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":100,\"messages\":[]}"));
        assertThat(complete.path("content").get(0).path("text").asString()).isEqualTo(TEXT);
        assertThat(complete.path("usage").path("output_tokens").asInt()).isEqualTo(6);

        String stream = post("/v1/messages", "{\"model\":\"claude-x\",\"stream\":true,\"messages\":[]}").body();
        assertThat(stream).startsWith("event: message_start").contains("event: content_block_delta").endsWith(
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(stream.lines().filter(l -> l.startsWith("data: ")).map(l -> JSON.readTree(l.substring(6)))
                .filter(e -> e.path("type").asString().equals("content_block_delta"))
                .map(e -> e.path("delta").path("text").asString()).collect(Collectors.joining())).isEqualTo(TEXT);
    }

    @Test
    void geminiJsonAndStream() throws Exception {
        JsonNode complete = json(post("/v1beta/models/gemini-x:generateContent", "{\"contents\":[]}"));
        assertThat(complete.path("candidates").get(0).path("content").path("parts").get(0).path("text").asString()).isEqualTo(TEXT);
        String stream = post("/v1beta/models/gemini-x:streamGenerateContent?alt=sse", "{\"contents\":[]}").body();
        assertThat(stream.lines().filter(l -> l.startsWith("data: ")).map(l -> JSON.readTree(l.substring(6)))
                .map(e -> e.path("candidates").get(0).path("content").path("parts").get(0).path("text").asString())
                .collect(Collectors.joining())).isEqualTo(TEXT);
    }

    @Test
    void ollamaJsonAndNdjson() throws Exception {
        JsonNode complete = json(post("/api/chat", "{\"model\":\"llama\",\"stream\":false,\"messages\":[]}"));
        assertThat(complete.path("message").path("content").asString()).isEqualTo(TEXT);
        assertThat(complete.path("done").asBoolean()).isTrue();
        HttpResponse<String> stream = post("/api/chat", "{\"model\":\"llama\",\"messages\":[]}");
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> lines = stream.body().lines().map(JSON::readTree).toList();
        assertThat(lines.stream().map(l -> l.path("message").path("content").asString()).collect(Collectors.joining())).isEqualTo(TEXT);
        assertThat(lines.getLast().path("done").asBoolean()).isTrue();
        assertThat(lines.getLast().path("eval_count").asInt()).isEqualTo(6);
    }

    @Test
    void scriptedFaultsThenRecovery() throws Exception {
        fake.then(Behaviour.serverError(), Behaviour.rateLimited(7), new Behaviour.Malformed(), new Behaviour.Reset());
        String request = "{\"model\":\"gpt-x\",\"messages\":[]}";
        assertThat(post("/v1/chat/completions", request).statusCode()).isEqualTo(500);
        HttpResponse<String> limited = post("/v1/chat/completions", request);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        HttpResponse<String> malformed = post("/v1/chat/completions", request);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(malformed.body())).isNotNull();
        assertThatThrownBy(() -> post("/v1/chat/completions", request)).isInstanceOf(IOException.class);
        assertThat(json(post("/v1/chat/completions", request)).path("choices").get(0).path("message").path("content").asString())
                .isEqualTo(TEXT);
        assertThat(fake.received()).hasSize(5).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/chat/completions"));
    }

    @Test
    void streamsCutBeforeAndAfterTheFirstToken() throws Exception {
        fake.then(new Behaviour.CutBeforeFirstToken(), new Behaviour.CutAfterFirstToken(TEXT));
        String request = "{\"model\":\"gpt-x\",\"stream\":true,\"messages\":[]}";
        assertThat(post("/v1/chat/completions", request).body()).doesNotContain("delta");
        String cut = post("/v1/chat/completions", request).body();
        assertThat(cut).contains("\"content\":\"Paris \"").doesNotContain("capital", "[DONE]");
    }

    @Test
    void latencyAndSlowFirstToken() throws Exception {
        fake.then(Behaviour.slow(TEXT, Duration.ofMillis(300)), Behaviour.slowFirstToken(TEXT, Duration.ofMillis(300)));
        long start = System.nanoTime();
        post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        start = System.nanoTime();
        String stream = post("/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}").body();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(stream).contains("[DONE]");
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
