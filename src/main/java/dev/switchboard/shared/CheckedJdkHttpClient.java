package dev.switchboard.shared;

import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A JDK client whose every request is checked against the outbound policy first (see
 * {@link OutboundConnections#jdkHttpClient}); a refused destination fails the request with an
 * {@link UnknownHostException} caused by an {@link OutboundRefusedException}, as an unresolvable one would.
 */
final class CheckedJdkHttpClient extends ForwardingHttpClient {

    private final OutboundConnections connections;

    CheckedJdkHttpClient(HttpClient delegate, OutboundConnections connections) {
        super(delegate);
        this.connections = connections;
    }

    private void check(HttpRequest request) throws UnknownHostException {
        connections.addresses(request.uri().getHost());
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        check(request);
        return super.send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            check(request);
        }
        catch (UnknownHostException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return super.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushes) {
        try {
            check(request);
        }
        catch (UnknownHostException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return super.sendAsync(request, handler, pushes);
    }
}
