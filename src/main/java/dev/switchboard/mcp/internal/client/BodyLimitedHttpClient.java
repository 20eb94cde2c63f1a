package dev.switchboard.mcp.internal.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import dev.switchboard.shared.ForwardingHttpClient;

/**
 * A JDK client whose response bodies end, with a {@link ResponseTooLargeException}, past a number of bytes. The
 * MCP SDK reads answers whole before they could be cut to the model's share; without this a server could send
 * gigabytes into the heap within its timeout.
 */
final class BodyLimitedHttpClient extends ForwardingHttpClient {

    /** An answer was longer than allowed and was dropped. */
    static final class ResponseTooLargeException extends IOException {

        ResponseTooLargeException(long limit) {
            super("The response body is longer than " + limit + " bytes");
        }
    }

    private final long limit;

    BodyLimitedHttpClient(HttpClient delegate, long limit) {
        super(delegate);
        this.limit = limit;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return super.send(request, limited(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return super.sendAsync(request, limited(handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushes) {
        return super.sendAsync(request, limited(handler), pushes);
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
}
