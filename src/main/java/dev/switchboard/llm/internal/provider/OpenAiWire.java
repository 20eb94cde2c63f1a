package dev.switchboard.llm.internal.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.switchboard.llm.LlmMessage;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's chat-completions wire, spoken directly on the shared OkHttp client (every address checked when dialled, no
 * redirects, {@code TCP_NODELAY}) for requests without tools: the request body is written in one pass and the answer
 * (or each streamed event) read as a JSON tree, without the OpenAI SDK's and Spring AI's object models in between.
 * The router keeps its guarantees around it (timeouts, retries, breaker, failover before the first token, usage).
 * HTTP errors are {@link ProviderStatusException}s carrying the status and {@code Retry-After}.
 */
public final class OpenAiWire {

    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OkHttpClient http;
    private final String url;
    private final String authorization;

    OpenAiWire(OkHttpClient http, String baseUrl, String apiKey) {
        this.http = http;
        this.url = baseUrl + "/chat/completions";
        // OpenAI-compatible servers without authentication still get a (meaningless) key, as the SDK sends.
        this.authorization = "Bearer " + (apiKey == null || apiKey.isBlank() ? "none" : apiKey);
    }

    /** What the provider answered: the text, its token counts (0 when it sent none), the model it names, why it stopped. */
    public record Reply(String content, long promptTokens, long completionTokens, String model, String finishReason) {
    }

    /** One streamed call in flight; {@link #cancel()} closes its connection. */
    public interface Cancellable {
        void cancel();
    }

    /** A plain call: the whole answer at once, within {@code total} (an {@code InterruptedIOException} after it). */
    public Reply complete(String model, List<LlmMessage> messages, Double temperature, Integer maxTokens, Duration total)
            throws IOException {
        Call call = http.newCall(request(model, messages, temperature, maxTokens, false));
        call.timeout().timeout(total.toNanos(), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            ResponseBody body = checked(response);
            JsonNode answer = JSON.readTree(body.byteStream());
            JsonNode choice = answer.path("choices").path(0);
            JsonNode usage = answer.path("usage");
            return new Reply(text(choice.path("message").path("content")), usage.path("prompt_tokens").asLong(0),
                    usage.path("completion_tokens").asLong(0), text(answer.path("model")), text(choice.path("finish_reason")));
        }
    }

    /**
     * A streamed call: {@code started} gets a handle that cancels it (the router's first-token and total deadlines),
     * {@code onDelta} each piece of text as it comes; returns once the stream ended with {@code [DONE]} or the server
     * closed it. Blocks the caller's thread: the router calls it on a virtual thread of its own.
     */
    public Reply stream(String model, List<LlmMessage> messages, Double temperature, Integer maxTokens, Consumer<Cancellable> started,
            Consumer<String> onDelta) throws IOException {
        Call call = http.newCall(request(model, messages, temperature, maxTokens, true));
        started.accept(call::cancel);
        try (Response response = call.execute()) {
            BufferedSource source = checked(response).source();
            StringBuilder content = new StringBuilder();
            String answeringModel = "";
            String finishReason = "";
            long promptTokens = 0;
            long completionTokens = 0;
            for (String line = source.readUtf8Line(); line != null; line = source.readUtf8Line()) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode event = JSON.readTree(data);
                if (event.has("error")) {
                    throw new ProviderStatusException(500, null);
                }
                if (answeringModel.isEmpty()) {
                    answeringModel = text(event.path("model"));
                }
                JsonNode choice = event.path("choices").path(0);
                String delta = text(choice.path("delta").path("content"));
                if (!delta.isEmpty()) {
                    content.append(delta);
                    onDelta.accept(delta);
                }
                String reason = text(choice.path("finish_reason"));
                if (!reason.isEmpty()) {
                    finishReason = reason;
                }
                JsonNode usage = event.path("usage");
                if (usage.isObject()) {
                    promptTokens = usage.path("prompt_tokens").asLong(0);
                    completionTokens = usage.path("completion_tokens").asLong(0);
                }
            }
            return new Reply(content.toString(), promptTokens, completionTokens, answeringModel, finishReason);
        }
    }

    private static ResponseBody checked(Response response) throws ProviderStatusException {
        if (!response.isSuccessful()) {
            throw new ProviderStatusException(response.code(), response.header("Retry-After"));
        }
        return response.body();
    }

    private static String text(JsonNode node) {
        return node == null || !node.isString() ? "" : node.asString();
    }

    private Request request(String model, List<LlmMessage> messages, Double temperature, Integer maxTokens, boolean stream) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringProperty("model", model);
            json.writeArrayPropertyStart("messages");
            for (LlmMessage message : messages) {
                json.writeStartObject();
                json.writeStringProperty("role", message.role().name().toLowerCase(java.util.Locale.ROOT));
                json.writeStringProperty("content", message.content());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (temperature != null) {
                json.writeNumberProperty("temperature", temperature);
            }
            if (maxTokens != null) {
                json.writeNumberProperty("max_tokens", maxTokens);
            }
            if (stream) {
                json.writeBooleanProperty("stream", true);
                json.writeObjectPropertyStart("stream_options");
                json.writeBooleanProperty("include_usage", true);
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        return new Request.Builder().url(url).header("Authorization", authorization)
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .post(RequestBody.create(bytes.toByteArray(), JSON_TYPE)).build();
    }
}
