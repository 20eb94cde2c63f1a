package dev.switchboard.mcp.internal.client;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.switchboard.identity.Caller;
import dev.switchboard.identity.Callers;
import dev.switchboard.identity.SecurityEventOccurred;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundRefusedException;
import dev.switchboard.shared.SwitchboardException;
import dev.switchboard.tenancy.TenantContext;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Registering, changing and removing the current tenant's external MCP servers. A server is tested before it is
 * saved — a session is initialized and its tools listed — and nothing is saved when that fails; the network
 * exchange happens outside any transaction, so a slow server holds no database connection.
 */
@Service
class McpServerAdministration {

    /** What an administrator sends. On update a null auth header value keeps the stored one, an empty one removes it. */
    @Schema(name = "McpServerRegistration")
    record Registration(String name, String url, String transport, String authHeaderName, String authHeaderValue,
            List<String> allowedTools, Duration timeout) {

        /** Never the credential. */
        @Override
        public String toString() {
            return "Registration[name=" + name + ", url=" + url + ", transport=" + transport + ", authHeaderValue="
                    + (authHeaderValue == null ? "unchanged" : authHeaderValue.isEmpty() ? "removed" : "set") + "]";
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(100);
    private static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(10);
    private static final int MAX_ALLOWED_TOOLS = 100;

    private final McpServers servers;
    private final McpConnector connector;
    private final ExternalMcpTools tools;
    private final OutboundConnections outbound;
    private final McpClientProperties properties;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    McpServerAdministration(McpServers servers, McpConnector connector, ExternalMcpTools tools, OutboundConnections outbound,
            McpClientProperties properties, TransactionTemplate transactions, ApplicationEventPublisher events, Clock clock) {
        this.servers = servers;
        this.connector = connector;
        this.tools = tools;
        this.outbound = outbound;
        this.properties = properties;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    List<McpServer> list() {
        return transactions.execute(status -> servers.list());
    }

    Optional<McpServer> find(UUID id) {
        return transactions.execute(status -> servers.find(id));
    }

    McpServer register(Registration registration) {
        McpServer server = tested(validated(UUID.randomUUID(), registration, null));
        boolean inserted = transactions.execute(status -> servers.insert(server));
        if (!inserted) {
            throw nameTaken(server.name());
        }
        changed(server, "mcp_server.created");
        return server;
    }

    McpServer update(UUID id, Registration registration) {
        McpServer existing = find(id).orElseThrow(() -> notFound(id));
        if (registration.name() != null && !registration.name().strip().equals(existing.name())) {
            throw new SwitchboardException(HttpStatus.CONFLICT, "mcp-server-name-fixed", "A server's name is part of its "
                    + "tools' names (" + existing.name() + "/<tool>), which personas list: it cannot change. Register the "
                    + "server again under the new name and delete this one.");
        }
        McpServer server = tested(validated(id, registration, existing));
        if (!Boolean.TRUE.equals(transactions.execute(status -> servers.update(server)))) {
            throw notFound(id);
        }
        changed(server, "mcp_server.updated");
        return server;
    }

    void delete(UUID id) {
        McpServer server = find(id).orElseThrow(() -> notFound(id));
        if (!Boolean.TRUE.equals(transactions.execute(status -> servers.delete(id)))) {
            throw notFound(id);
        }
        changed(server, "mcp_server.deleted");
    }

    /**
     * This replica forgets the tenant's servers, and the audit log records the change: a server is a destination
     * Switchboard connects to with a stored credential, and what its tools return reaches the models.
     */
    private void changed(McpServer server, String action) {
        tools.changed(TenantContext.require());
        Caller caller = Callers.require();
        String address = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
        events.publishEvent(new SecurityEventOccurred(action, caller.tenantId(), caller.userId(), caller.email(), address,
                server.id(), Map.of("server", server.name(), "host", URI.create(server.url()).getHost(),
                        "allowedTools", server.allowedTools()), clock.instant()));
    }

    private McpServer validated(UUID id, Registration registration, McpServer existing) {
        String name = existing != null ? existing.name() : registration.name() == null ? "" : registration.name().strip();
        if (!NAME.matcher(name).matches()) {
            throw invalid("name: 1 to 32 lowercase letters, digits or '-', starting with a letter or digit (it prefixes the "
                    + "server's tools: <name>/<tool>).");
        }
        if (existing == null && transactions.execute(status -> servers.nameTaken(name, id))) {
            throw nameTaken(name);
        }
        String url = registration.url() == null ? "" : registration.url().strip();
        if (url.isEmpty() || url.length() > 2000) {
            throw invalid("url is required (at most 2000 characters): the server's MCP endpoint, e.g. https://mcp.example.com/mcp.");
        }
        try {
            // Fast feedback only: every connection is checked again when it is made.
            outbound.checkUrl(url);
        }
        catch (IllegalArgumentException ex) {
            throw invalid("url: " + ex.getMessage());
        }
        String transportId = registration.transport() == null ? McpTransportKind.STREAMABLE_HTTP.id() : registration.transport();
        McpTransportKind transport = McpTransportKind.of(transportId)
                .orElseThrow(() -> invalid("transport must be streamable-http or sse."));
        String headerValue = registration.authHeaderValue() != null ? registration.authHeaderValue()
                : existing != null ? existing.authHeaderValue() : null;
        String headerName = registration.authHeaderName() != null ? registration.authHeaderName().strip()
                : existing != null && existing.authHeaderName() != null ? existing.authHeaderName() : "Authorization";
        checkHeader(headerName, headerValue);
        return new McpServer(id, name, url, transport, headerName, headerValue, allowedTools(registration.allowedTools()),
                List.of(), List.of(), timeout(registration.timeout()), clock.instant());
    }

    private static void checkHeader(String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > 4000) {
            throw invalid("authHeaderValue is longer than 4000 characters.");
        }
        if (!HEADER_NAME.matcher(name).matches()) {
            throw invalid("authHeaderName must be an HTTP header name, e.g. Authorization or X-API-Key.");
        }
        try {
            HttpRequest.newBuilder().header(name, value);
        }
        catch (IllegalArgumentException ex) {
            throw invalid("authHeaderName cannot be " + name + ", or authHeaderValue holds characters a header cannot "
                    + "(line breaks); e.g. Authorization: Bearer <token>.");
        }
    }

    private static List<String> allowedTools(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > MAX_ALLOWED_TOOLS) {
            throw invalid("allowedTools names at most " + MAX_ALLOWED_TOOLS + " tools.");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String name : requested) {
            if (name == null || name.isBlank() || name.length() > 128) {
                throw invalid("allowedTools: every entry is a tool name as the server lists it (1 to 128 characters).");
            }
            names.add(name.strip());
        }
        return List.copyOf(names);
    }

    private Duration timeout(Duration requested) {
        Duration timeout = requested == null ? properties.defaultTimeout() : requested;
        if (timeout.compareTo(SHORTEST_TIMEOUT) < 0 || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
            throw invalid("timeout must be between 100 milliseconds and 10 minutes (ISO-8601, e.g. PT30S).");
        }
        return timeout;
    }

    /** The server with its tools listed now and the allowed ones approved; a failed test refuses the save. */
    private McpServer tested(McpServer server) {
        List<ListedTool> listed = switch (connector.listTools(server, properties.maxTools())) {
            case McpOutcome.Done<List<ListedTool>> done -> done.value();
            case McpOutcome.Failed<List<ListedTool>> failed -> throw testFailed(failed);
        };
        List<String> missing = new ArrayList<>();
        List<ListedTool> approved = new ArrayList<>();
        for (String allowed : server.allowedTools()) {
            Optional<ListedTool> tool = listed.stream().filter(candidate -> candidate.name().equals(allowed)).findFirst();
            if (tool.isEmpty()) {
                missing.add(allowed);
            }
            else if (!tool.get().offerable(server.name())) {
                throw new SwitchboardException(HttpStatus.UNPROCESSABLE_CONTENT, "mcp-tool-not-offerable", "allowedTools: "
                        + "the tool '" + allowed + "' cannot be offered to models: either " + server.name() + "__" + allowed
                        + " is longer than 64 characters or holds characters other than letters, digits, '_' and '-', or "
                        + "its argument schema is longer than " + ListedTool.MAX_SCHEMA + " characters.");
            }
            else {
                approved.add(tool.get());
            }
        }
        if (!missing.isEmpty()) {
            throw new SwitchboardException(HttpStatus.UNPROCESSABLE_CONTENT, "mcp-tool-not-listed", "allowedTools: the server "
                    + "does not list " + String.join(", ", missing) + ". It lists: " + String.join(", ",
                            listed.stream().map(ListedTool::name).toList()) + ".");
        }
        return new McpServer(server.id(), server.name(), server.url(), server.transport(), server.authHeaderName(),
                server.authHeaderValue(), server.allowedTools(), approved, listed, server.timeout(), clock.instant().truncatedTo(
                        ChronoUnit.MICROS));
    }

    private static RuntimeException testFailed(McpOutcome.Failed<?> failed) {
        if (failed.failure() == McpFailure.REFUSED) {
            return new OutboundRefusedException(failed.message());
        }
        String detail = failed.failure() == McpFailure.ERROR_ANSWER
                ? "The server answered initialize or tools/list with a JSON-RPC error; is the URL its MCP endpoint?"
                : failed.message();
        return new SwitchboardException(HttpStatus.UNPROCESSABLE_CONTENT, "mcp-server-test-failed",
                "The server was not saved: initializing a session and listing its tools failed. " + detail);
    }

    private static SwitchboardException nameTaken(String name) {
        return new SwitchboardException(HttpStatus.CONFLICT, "mcp-server-exists", "There is already an MCP server named '"
                + name + "'; change it with PUT /api/mcp/servers/{id}.");
    }

    static SwitchboardException notFound(UUID id) {
        return new SwitchboardException(HttpStatus.NOT_FOUND, "not-found", "There is no MCP server " + id + ".");
    }

    private static SwitchboardException invalid(String detail) {
        return new SwitchboardException(HttpStatus.BAD_REQUEST, "validation", detail);
    }
}
