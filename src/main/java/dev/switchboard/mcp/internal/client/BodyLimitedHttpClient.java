package dev.switchboard.mcp.internal.client;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK client whose response bodies end, with a {@link ResponseTooLargeException}, past a number of bytes. The
 * MCP SDK reads answers whole before they could be cut to the model's share; without this a server could send
 * gigabytes into the heap within its timeout.
 */
final class BodyLimitedHttpClient extends HttpClient {

    /** An answer was longer than allowed and was dropped. */
    static final class ResponseTooLargeException extends IOException {

        ResponseTooLargeException(long limit) {
            super("The response body is longer than " + limit + " bytes");
        }
    }

    private final HttpClient delegate;
    private final long limit;

    BodyLimitedHttpClient(HttpClient delegate, long limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(request, limited(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, limited(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushes) {
        return delegate.sendAsync(request, limited(handler), pushes);
    }

    private <T> HttpResponse.BodyHandler<T> limited(HttpResponse.BodyHandler<T> handler) {
        return info -> new LimitedSubscriber<>(handler.apply(info), limit);
    }

    /** Passes the body on until it grows past the limit, then cancels it and fails the subscriber. */
    private static final class LimitedSubscriber<T> implements HttpResponse.BodySubscriber<T> {

        private final HttpResponse.BodySubscriber<T> delegate;
        private final long limit;
        private Flow.Subscription subscription;
        private long received;
        private boolean over;

        LimitedSubscriber(HttpResponse.BodySubscriber<T> delegate, long limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (over) {
                return;
            }
            for (ByteBuffer item : items) {
                received += item.remaining();
            }
            if (received > limit) {
                over = true;
                subscription.cancel();
                delegate.onError(new ResponseTooLargeException(limit));
                return;
            }
            delegate.onNext(items);
        }

        @Override
        public void onError(Throwable failure) {
            if (!over) {
                delegate.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (!over) {
                delegate.onComplete();
            }
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public void shutdownNow() {
        delegate.shutdownNow();
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        return delegate.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
