package dev.switchboard.llm.internal.provider;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import dev.switchboard.shared.OutboundConnections;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The HTTP clients every provider call goes over, chat and embeddings alike: one connection pool per client stack, so
 * that an embedding request to a provider reuses the connections its chat calls opened (and the other way round), with
 * the same checked resolver, redirect rule, proxy and TLS settings. Every client connects through
 * {@link OutboundConnections}: each address is checked when it is dialled and redirects are never followed.
 * <ul>
 * <li>OpenAI, Anthropic and Gemini: one OkHttp client ({@link #okHttp}); each caller derives its timeouts from it
 * ({@code newBuilder()} keeps the pool, the dispatcher and the resolver).</li>
 * <li>Ollama: the JDK client (Spring's {@code RestClient}/{@code WebClient} under Spring AI's Ollama client have no
 * OkHttp connector), one per connect timeout ({@link #jdk}): the JDK client takes that timeout when it is built.</li>
 * </ul>
 * The OkHttp client is built at its first use, not at start: building it sets up TLS (the platform's trust store, read
 * and parsed) and loads OkHttp, about a quarter of a second of a start on 2 cores that readiness does not need.
 * {@code ClientWarmup} asks for it as soon as the application is ready, off the request path.
 */
@Component
public final class ProviderConnections {

    /**
     * Idle provider connections kept. OkHttp keeps 5 by default, so any concurrency above five reopens
     * connections (a TCP and TLS handshake each) all the time; the JDK client has no such cap.
     */
    private static final int MAX_IDLE_CONNECTIONS = 64;

    private static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

    /**
     * Concurrent asynchronous (streamed) calls. OkHttp's dispatcher allows 64 in all and 5 per host by default, which
     * would queue the sixth stream to one provider behind the first five.
     */
    private static final int MAX_CONCURRENT_CALLS = 1_024;

    private final OutboundConnections outbound;
    /** Built once, at the first {@link #okHttp} or {@link #warm}. */
    private volatile OkHttpClient shared;
    /**
     * Ollama's clients by connect timeout: as many as the distinct timeouts of the Ollama providers and the embedding
     * settings (a handful), each kept for the life of the application like the OkHttp client.
     */
    private final Map<Duration, HttpClient> jdk = new ConcurrentHashMap<>();

    public ProviderConnections(OutboundConnections outbound) {
        this.outbound = outbound;
    }

    /**
     * The shared OkHttp client with these timeouts: {@code connect}, and between bytes {@code total} (a plain, not
     * streamed, answer sends nothing until it is complete).
     */
    public OkHttpClient okHttp(Duration connect, Duration total) {
        return shared().newBuilder()
                .connectTimeout(connect)
                .readTimeout(total)
                .writeTimeout(total)
                .build();
    }

    /** The JDK client connecting within {@code connect}, shared by every caller with that connect timeout. */
    public HttpClient jdk(Duration connect) {
        return jdk.computeIfAbsent(connect, timeout -> outbound.jdkHttpClient(HttpClient.newBuilder().connectTimeout(timeout)));
    }

    /** Builds the shared OkHttp client now if no call has yet. */
    public void warm() {
        shared();
    }

    /** The connections, open or idle, in the OkHttp pool (none before its first use). */
    public int okHttpConnections() {
        OkHttpClient client = shared;
        return client == null ? 0 : client.connectionPool().connectionCount();
    }

    private OkHttpClient shared() {
        OkHttpClient client = shared;
        if (client == null) {
            synchronized (this) {
                client = shared;
                if (client == null) {
                    client = build();
                    shared = client;
                }
            }
        }
        return client;
    }

    private OkHttpClient build() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_CONCURRENT_CALLS);
        dispatcher.setMaxRequestsPerHost(MAX_CONCURRENT_CALLS);
        return outbound.okHttp()
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS))
                .dispatcher(dispatcher)
                .retryOnConnectionFailure(false)
                .socketFactory(NoDelayTls.PLAIN)
                .sslSocketFactory(NoDelayTls.SOCKETS, NoDelayTls.TRUST)
                .build();
    }
}
