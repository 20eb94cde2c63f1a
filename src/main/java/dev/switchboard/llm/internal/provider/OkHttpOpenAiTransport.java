package dev.switchboard.llm.internal.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import com.openai.core.RequestOptions;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The OpenAI SDK's transport on an OkHttp client Switchboard built — from
 * {@link dev.switchboard.shared.OutboundConnections#okHttp()}, so every address is checked when it is dialled and
 * redirects are not followed — with {@code TCP_NODELAY} on every socket ({@link NoDelayTls}). Failures are
 * {@link OpenAIIoException}s around OkHttp's own exceptions, as with the SDK's transport, so the router
 * classifies them the same way.
 */
final class OkHttpOpenAiTransport implements com.openai.core.http.HttpClient {

    private final OkHttpClient http;

    OkHttpOpenAiTransport(OkHttpClient http) {
        this.http = http;
    }

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        try {
            return new OkHttpResponse(http.newCall(okHttpRequest(request)).execute());
        }
        catch (IOException ex) {
            throw new OpenAIIoException("Request failed", ex);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        Call call;
        try {
            call = http.newCall(okHttpRequest(request));
        }
        catch (IOException ex) {
            return CompletableFuture.failedFuture(new OpenAIIoException("Request failed", ex));
        }
        CompletableFuture<HttpResponse> future = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call failed, IOException ex) {
                future.completeExceptionally(new OpenAIIoException("Request failed", ex));
            }

            @Override
            public void onResponse(Call answered, Response response) {
                future.complete(new OkHttpResponse(response));
            }
        });
        future.whenComplete((response, failure) -> {
            if (future.isCancelled()) {
                call.cancel();
            }
        });
        return future;
    }

    /** The OkHttp client's pool and dispatcher are shared by every target (see {@link ProviderConnections}). */
    @Override
    public void close() {
        // Shared: stays open.
    }

    private static Request okHttpRequest(HttpRequest request) throws IOException {
        Request.Builder builder = new Request.Builder().url(request.url());
        Headers headers = request.headers();
        for (String name : headers.names()) {
            for (String value : headers.values(name)) {
                builder.addHeader(name, value);
            }
        }
        HttpRequestBody body = request.body();
        String method = request.method().name();
        if (body == null) {
            boolean needsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            return builder.method(method, needsBody ? RequestBody.create(new byte[0]) : null).build();
        }
        try (body) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.toIntExact(Math.max(body.contentLength(), 256)));
            body.writeTo(bytes);
            MediaType type = body.contentType() == null ? null : MediaType.parse(body.contentType());
            return builder.method(method, RequestBody.create(bytes.toByteArray(), type)).build();
        }
    }

    private record OkHttpResponse(Response response) implements HttpResponse {

        @Override
        public int statusCode() {
            return response.code();
        }

        @Override
        public Headers headers() {
            Headers.Builder headers = Headers.builder();
            for (String name : response.headers().names()) {
                headers.put(name, response.headers(name));
            }
            return headers.build();
        }

        @Override
        public InputStream body() {
            return response.body().byteStream();
        }

        @Override
        public void close() {
            response.close();
        }
    }
}
