package dev.switchboard.mcp.internal.client;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The builder the MCP SDK's transports are given: whatever they set, {@link #build()} hands them the one client
 * every MCP connection shares, built by {@code shared.OutboundConnections} (address checked on every request,
 * redirects off). The SDK builds a client per transport, and a JDK client is a selector thread and a connection
 * pool: one per tool call would cost both, and nothing the SDK sets (a connect timeout) may loosen the checks.
 */
final class SharedClientBuilder implements HttpClient.Builder {

    private final HttpClient client;

    SharedClientBuilder(HttpClient client) {
        this.client = client;
    }

    @Override
    public HttpClient build() {
        return client;
    }

    @Override
    public HttpClient.Builder cookieHandler(CookieHandler cookieHandler) {
        return this;
    }

    @Override
    public HttpClient.Builder connectTimeout(Duration duration) {
        return this;
    }

    @Override
    public HttpClient.Builder sslContext(SSLContext sslContext) {
        return this;
    }

    @Override
    public HttpClient.Builder sslParameters(SSLParameters sslParameters) {
        return this;
    }

    @Override
    public HttpClient.Builder executor(Executor executor) {
        return this;
    }

    @Override
    public HttpClient.Builder followRedirects(HttpClient.Redirect policy) {
        return this;
    }

    @Override
    public HttpClient.Builder version(HttpClient.Version version) {
        return this;
    }

    @Override
    public HttpClient.Builder priority(int priority) {
        return this;
    }

    @Override
    public HttpClient.Builder proxy(ProxySelector proxySelector) {
        return this;
    }

    @Override
    public HttpClient.Builder authenticator(Authenticator authenticator) {
        return this;
    }

    @Override
    public HttpClient.Builder localAddress(InetAddress localAddress) {
        return this;
    }
}
