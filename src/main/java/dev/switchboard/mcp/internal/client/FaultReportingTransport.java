package dev.switchboard.mcp.internal.client;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A transport that also reports its faults to the exchange waiting on it. The SDK's Streamable HTTP transport hands
 * a broken answer (a body that is not JSON-RPC, a connection closed mid-answer) to its exception handler and lets
 * the pending request wait for its timeout; with this, the exchange fails at once with the cause.
 */
final class FaultReportingTransport implements McpClientTransport {

    private final McpClientTransport delegate;
    private final Sinks.One<Object> fault = Sinks.one();

    FaultReportingTransport(McpClientTransport delegate) {
        this.delegate = delegate;
        delegate.setExceptionHandler(this::report);
    }

    /** Never emits a value: fails with the transport's first fault. */
    <T> Mono<T> faults() {
        return fault.asMono().then(Mono.never());
    }

    private void report(Throwable failure) {
        // A lost session is the SDK's to handle (it initializes again); anything else ends the exchange.
        if (!(failure instanceof McpTransportSessionNotFoundException)) {
            fault.tryEmitError(failure);
        }
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(failure -> {
            report(failure);
            handler.accept(failure);
        });
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(handler);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return delegate.sendMessage(message);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
