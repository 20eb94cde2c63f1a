package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import tools.jackson.databind.JsonNode;

/** The official OpenAI Java SDK pointed at the application under test, and the error body it expects back. */
public final class OpenAiSdk {

    private OpenAiSdk() {
    }

    /**
     * A client of {@code /v1} on the application's port with {@code apiKey}, unchanged but for its base URL and key; no
     * retries, so a test sees every response as the server sent it. {@code responseValidation}: every field the SDK's models
     * require must be there, of the right type. Close it after the test.
     */
    public static OpenAIClient client(int port, String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey(apiKey).maxRetries(0)
                .responseValidation(true).build();
    }

    /**
     * Asserts that {@code response} is an OpenAI {@code invalid_request_error} with {@code status} and a message, as the SDK
     * parses it; returns the {@code param} it names.
     */
    public static String invalidRequestParam(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = HttpTestClient.json(response).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).isNotBlank();
        return error.path("param").asString();
    }
}
