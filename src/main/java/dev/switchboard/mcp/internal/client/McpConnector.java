package dev.switchboard.mcp.internal.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.util.unit.DataSize;

import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundRefusedException;
import dev.switchboard.shared.TraceAttributes;
import dev.switchboard.shared.TraceSpan;
import dev.switchboard.shared.Traces;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Talks to external MCP servers through the MCP Java SDK's client and HTTP transports, every connection through
 * {@link OutboundConnections}. Each exchange is a session of its own — initialize, the request, close — bounded as
 * a whole by the server's timeout: no session state to go stale between calls or differ between replicas, at the
 * price of one more round trip (initialize) per call. Failures are returned as values, never thrown.
 */
@Component
class McpConnector {

    private static final McpSchema.Implementation CLIENT = McpSchema.Implementation.builder("switchboard", "1.0").build();

    /** The most pages of {@code tools/list} read from one server. */
    private static final int MAX_PAGES = 20;

    /** Connecting is part of each call's budget as well; this only stops a connect outliving every budget. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Built at the first call, not at start: the JDK client sets up TLS when it is built, start-up time that readiness
     * does not need.
     */
    private final Supplier<HttpClient> http;
    private final Traces traces;
    private final DataSize maxResponseSize;
    private final JsonMapper json;

    McpConnector(OutboundConnections outbound, McpClientProperties properties, JsonMapper json, Traces traces) {
        this.traces = traces;
        this.http = SingletonSupplier.of(() -> new BodyLimitedHttpClient(outbound.jdkHttpClient(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)), properties.maxResponseSize().toBytes()));
        this.maxResponseSize = properties.maxResponseSize();
        this.json = json;
    }

    /** Initializes a session and lists the server's tools (at most {@code maxTools}). */
    McpOutcome<List<ListedTool>> listTools(McpServer server, int maxTools) {
        return exchange(server, server.timeout(), client -> client.listTools(McpSchema.FIRST_PAGE)
                .expand(page -> page.nextCursor() == null || page.nextCursor().isEmpty() ? Mono.empty()
                        : client.listTools(page.nextCursor()))
                // A server could hand out cursors without end: what is past the limits is not even asked for.
                .take(MAX_PAGES).flatMapIterable(McpSchema.ListToolsResult::tools).take(maxTools).map(this::listed)
                .collectList());
    }

    /** Initializes a session and calls one tool, within {@code budget}. */
    McpOutcome<McpSchema.CallToolResult> call(McpServer server, String tool, Map<String, Object> arguments, Duration budget) {
        // The client side of an MCP call: which external server, which tool, and how it ended.
        try (TraceSpan span = traces.start("tools/call " + tool)) {
            span.tag(MCP_METHOD, "tools/call").tag(TraceAttributes.TOOL_NAME, tool).tag(MCP_SERVER, server.name());
            McpOutcome<McpSchema.CallToolResult> outcome = exchange(server, budget,
                    client -> client.callTool(new McpSchema.CallToolRequest(tool, arguments, null)));
            switch (outcome) {
                case McpOutcome.Done<McpSchema.CallToolResult> done -> span.tag(TraceAttributes.TOOL_ERROR,
                        Boolean.TRUE.equals(done.value().isError()));
                case McpOutcome.Failed<McpSchema.CallToolResult> failed -> span.tag(TraceAttributes.TOOL_ERROR, true)
                        .failed(failed.failure().name().toLowerCase(Locale.ROOT));
            }
            return outcome;
        }
    }

    /** Span attributes of MCP calls (the MCP semantic conventions' method name, and the registered server's name). */
    static final String MCP_METHOD = "mcp.method.name";

    static final String MCP_SERVER = "switchboard.mcp.server";

    private ListedTool listed(McpSchema.Tool tool) {
        return new ListedTool(tool.name(), tool.description(), json.writeValueAsString(tool.inputSchema()));
    }

    private <T> McpOutcome<T> exchange(McpServer server, Duration budget, Function<McpAsyncClient, Mono<T>> work) {
        FaultReportingTransport transport;
        McpAsyncClient client;
        try {
            transport = new FaultReportingTransport(transport(server, budget));
            client = McpClient.async(transport).requestTimeout(budget).initializationTimeout(budget).clientInfo(CLIENT).build();
        }
        catch (RuntimeException ex) {
            return McpFailure.NOT_MCP.with("The URL of the MCP server '" + server.name() + "' cannot be used: it must be "
                    + "an http(s) URL of its MCP endpoint.").as();
        }
        try {
            Mono<T> answer = client.initialize().then(Mono.defer(() -> work.apply(client)));
            T value = Mono.firstWithSignal(answer, transport.<T>faults()).timeout(budget).block();
            return new McpOutcome.Done<>(value);
        }
        catch (RuntimeException ex) {
            return classify(ex, server.name(), budget, maxResponseSize).as();
        }
        finally {
            client.close();
        }
    }

    // The SDK deprecates its SSE transport in favour of Streamable HTTP (the default here); SSE stays for the
    // servers that speak only the older protocol, which an administrator chooses per server.
    @SuppressWarnings("deprecation")
    private McpClientTransport transport(McpServer server, Duration budget) {
        URI uri = URI.create(server.url());
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // Every request of the session carries the timeout (until its answer starts) and the credential.
        HttpRequest.Builder requests = HttpRequest.newBuilder().timeout(budget);
        if (server.hasCredential()) {
            requests.header(server.authHeaderName(), server.authHeaderValue());
        }
        SharedClientBuilder shared = new SharedClientBuilder(http.get());
        return switch (server.transport()) {
            case STREAMABLE_HTTP -> HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).clientBuilder(shared)
                    .requestBuilder(requests).resumableStreams(false).openConnectionOnStartup(false).build();
            case SSE -> HttpClientSseClientTransport.builder(base).sseEndpoint(endpoint).clientBuilder(shared)
                    .requestBuilder(requests).build();
        };
    }

    /** The failure behind an exception of the SDK, the transport or the outbound policy. */
    static McpOutcome.Failed<?> classify(Throwable thrown, String server, Duration budget, DataSize limit) {
        Optional<OutboundRefusedException> refused = OutboundRefusedException.in(thrown);
        if (refused.isPresent()) {
            return McpFailure.REFUSED.with(refused.get().getBody().getDetail());
        }
        if (cause(thrown, TimeoutException.class).isPresent() || cause(thrown, HttpTimeoutException.class).isPresent()) {
            return McpFailure.TIMED_OUT.with("The MCP server '" + server + "' did not answer within " + budget + ".");
        }
        if (cause(thrown, McpHttpClientTransportAuthorizationException.class).isPresent()) {
            return McpFailure.UNAUTHORIZED.with("The MCP server '" + server + "' refused the credentials (HTTP 401 or 403): "
                    + "check the auth header.");
        }
        Optional<McpError> error = cause(thrown, McpError.class);
        if (error.isPresent()) {
            String message = error.get().getJsonRpcError() == null ? "" : error.get().getJsonRpcError().message();
            return McpFailure.ERROR_ANSWER.with(message == null ? "" : message);
        }
        if (cause(thrown, BodyLimitedHttpClient.ResponseTooLargeException.class).isPresent()) {
            return McpFailure.NOT_MCP.with("The MCP server '" + server + "' answered with more than " + readable(limit)
                    + " (switchboard.mcp.client.max-response-size); the answer was dropped.");
        }
        if (cause(thrown, McpTransportException.class).isPresent()) {
            return notMcp(server);
        }
        if (cause(thrown, IOException.class).isPresent()) {
            return McpFailure.UNREACHABLE.with("The MCP server '" + server + "' could not be reached: the connection failed "
                    + "or was closed before it answered.");
        }
        return notMcp(server);
    }

    /** A size as the setting is written: {@code 4MB}, {@code 512KB}, {@code 1000B}. */
    private static String readable(DataSize size) {
        long bytes = size.toBytes();
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + "MB" : bytes % 1024 == 0 ? bytes / 1024 + "KB" : bytes + "B";
    }

    private static McpOutcome.Failed<?> notMcp(String server) {
        return McpFailure.NOT_MCP.with("The MCP server '" + server + "' did not answer as an MCP server (an HTTP error, or an "
                + "answer that is not MCP JSON-RPC); check the URL and the transport.");
    }

    private static <E extends Throwable> Optional<E> cause(Throwable thrown, Class<E> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
