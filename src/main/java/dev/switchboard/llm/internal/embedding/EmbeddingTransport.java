package dev.switchboard.llm.internal.embedding;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import dev.switchboard.llm.internal.provider.ProviderConnections;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * How an embedding request reaches the provider: over the client its kind's chat calls use
 * ({@link ProviderConnections}), so both share one connection pool, resolver, proxy and TLS settings. Each request is
 * under the target's timeout.
 */
sealed interface EmbeddingTransport {

    /** The provider's answer: its status, its {@code Retry-After} (or null) and its body. */
    record Answer(int status, String retryAfter, String body) {
    }

    /** Posts the request; an {@link IOException} when no answer came (refused address, timeout, connection error). */
    Answer post(EmbeddingWire.Request request) throws IOException, InterruptedException;

    /**
     * OpenAI and Gemini: the shared OkHttp client, the whole call (connect to last byte) under {@code timeout}. The call
     * runs on OkHttp's dispatcher so that an interrupt of the waiting thread cancels it at once, as with the JDK client
     * (a thread blocked in a socket read would not see it).
     */
    record OverOkHttp(OkHttpClient http) implements EmbeddingTransport {

        private static final MediaType JSON = MediaType.get("application/json");

        static OverOkHttp of(ProviderConnections connections, Duration connect, Duration timeout) {
            return new OverOkHttp(connections.okHttp(connect, timeout).newBuilder().callTimeout(timeout).build());
        }

        @Override
        public Answer post(EmbeddingWire.Request request) throws IOException, InterruptedException {
            Request.Builder builder = new Request.Builder().url(request.endpoint().toString())
                    .post(RequestBody.create(request.body().getBytes(StandardCharsets.UTF_8), JSON));
            request.headers().forEach(builder::header);
            Call call = http.newCall(builder.build());
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            call.enqueue(new Callback() {
                @Override
                public void onFailure(Call failed, IOException ex) {
                    answer.completeExceptionally(ex);
                }

                @Override
                public void onResponse(Call answered, Response response) {
                    try (response) {
                        answer.complete(new Answer(response.code(), response.header("Retry-After"), response.body().string()));
                    }
                    catch (IOException ex) {
                        answer.completeExceptionally(ex);
                    }
                }
            });
            try {
                return answer.get();
            }
            catch (InterruptedException ex) {
                call.cancel();
                throw ex;
            }
            catch (ExecutionException ex) {
                if (ex.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(ex.getCause());
            }
        }
    }

    /** Ollama: the JDK client its chat calls use, each request under {@code timeout}. */
    record OverJdk(HttpClient http, Duration timeout) implements EmbeddingTransport {

        @Override
        public Answer post(EmbeddingWire.Request request) throws IOException, InterruptedException {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request.endpoint()).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.body()));
            request.headers().forEach(builder::header);
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null), response.body());
        }
    }
}
