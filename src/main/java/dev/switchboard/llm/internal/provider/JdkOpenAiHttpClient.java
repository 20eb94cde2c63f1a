package dev.switchboard.llm.internal.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;

/**
 * The OpenAI SDK's transport on the JDK's HTTP client instead of OkHttp. The JDK client sets
 * {@code TCP_NODELAY} on every connection (OkHttp never does, and the SDK offers no way to make it: a request
 * body larger than one write then waits ~40 ms for Nagle and the server's delayed acknowledgement — on
 * plain-http OpenAI-compatible servers too), keeps idle connections without OkHttp's cap of five, and speaks
 * HTTP/2 where the server offers it. Failures are {@link OpenAIIoException}s around the JDK's own exceptions,
 * as with the SDK's OkHttp transport, so the router classifies them the same way.
 */
final class JdkOpenAiHttpClient implements com.openai.core.http.HttpClient {

    /** Headers the JDK client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final Duration requestTimeout;

    JdkOpenAiHttpClient(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        try {
            return new Response(http.send(jdkRequest(request, options), BodyHandlers.ofInputStream()));
        }
        catch (IOException ex) {
            throw new OpenAIIoException("Request failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new OpenAIIoException("Request interrupted", ex);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        java.net.http.HttpRequest jdkRequest;
        try {
            jdkRequest = jdkRequest(request, options);
        }
        catch (IOException ex) {
            return CompletableFuture.failedFuture(new OpenAIIoException("Request failed", ex));
        }
        return http.sendAsync(jdkRequest, BodyHandlers.ofInputStream())
                .<HttpResponse>thenApply(Response::new)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    return CompletableFuture.failedFuture(cause instanceof IOException io ? new OpenAIIoException("Request failed", io)
                            : cause);
                });
    }

    /** The JDK client is shared by every target with the same connect timeout (see {@link ChatModelFactory}). */
    @Override
    public void close() {
        // Shared: stays open.
    }

    private java.net.http.HttpRequest jdkRequest(HttpRequest request, RequestOptions options) throws IOException {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout(options));
        Headers headers = request.headers();
        for (String name : headers.names()) {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                for (String value : headers.values(name)) {
                    builder.header(name, value);
                }
            }
        }
        HttpRequestBody body = request.body();
        if (body == null) {
            builder.method(request.method().name(), BodyPublishers.noBody());
        }
        else {
            try (body) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.toIntExact(Math.max(body.contentLength(), 256)));
                body.writeTo(bytes);
                if (body.contentType() != null) {
                    builder.setHeader("Content-Type", body.contentType());
                }
                builder.method(request.method().name(), BodyPublishers.ofByteArray(bytes.toByteArray()));
            }
        }
        return builder.build();
    }

    /** Until the response's headers arrive; the router bounds first token and total time itself. */
    private Duration timeout(RequestOptions options) {
        Timeout timeout = options.getTimeout();
        Duration request = timeout == null ? null : timeout.request();
        return request == null || request.isZero() || request.isNegative() ? requestTimeout : request;
    }

    private record Response(java.net.http.HttpResponse<InputStream> response) implements HttpResponse {

        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public Headers headers() {
            Headers.Builder headers = Headers.builder();
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!header.getKey().startsWith(":")) {
                    headers.put(header.getKey(), header.getValue());
                }
            }
            return headers.build();
        }

        @Override
        public InputStream body() {
            return response.body();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            }
            catch (IOException ignored) {
                // Closing a response body the server already ended: nothing to release.
            }
        }
    }
}
