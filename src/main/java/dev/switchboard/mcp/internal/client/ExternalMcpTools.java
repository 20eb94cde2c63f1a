package dev.switchboard.mcp.internal.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.llm.Tool;
import dev.switchboard.llm.ToolSource;
import dev.switchboard.tenancy.TenantContext;

/**
 * The allowed tools of the current tenant's external MCP servers, as {@link Tool}s named {@code <server>/<tool>}.
 * <p>
 * {@link #tools()} never waits for a server: it serves the tool lists stored with the servers (listed when they
 * were saved, and again in the background once older than {@code switchboard.mcp.client.tools-refresh}), read
 * from the database at most every {@link #LOCAL_TTL} per tenant and replica. Changes through this replica apply
 * at once; through another, within {@link #LOCAL_TTL}.
 */
@Component
class ExternalMcpTools implements ToolSource, DisposableBean {

    /** How long a replica serves a tenant's servers without reading them again (as long as the API-key cache). */
    static final Duration LOCAL_TTL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ExternalMcpTools.class);

    private record Snapshot(List<McpServer> servers, Instant readAt) {
    }

    private final McpServers servers;
    private final McpConnector connector;
    private final McpClientProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<UUID, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Set<UUID> refreshing = ConcurrentHashMap.newKeySet();
    private final ExecutorService refresher = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("mcp-tools-refresh-", 0)
            .factory());

    ExternalMcpTools(McpServers servers, McpConnector connector, McpClientProperties properties, TransactionTemplate transactions,
            Clock clock) {
        this.servers = servers;
        this.connector = connector;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public List<Tool> tools() {
        UUID tenant = TenantContext.current().orElse(null);
        if (tenant == null) {
            return List.of();
        }
        Snapshot snapshot;
        try {
            snapshot = snapshot(tenant);
        }
        catch (RuntimeException ex) {
            log.warn("Could not read the MCP servers of tenant {}: {}", tenant, ex.toString());
            return List.of();
        }
        snapshot.servers().forEach(server -> refreshIfStale(tenant, server));
        return snapshot.servers().stream()
                .flatMap(server -> server.offered().stream().<Tool>map(tool -> new ExternalMcpTool(server, tool, connector, properties,
                        clock)))
                .toList();
    }

    /** Forgets what this replica read of the tenant's servers, after an administrator changed them. */
    void changed(UUID tenant) {
        snapshots.remove(tenant);
    }

    private Snapshot snapshot(UUID tenant) {
        Instant now = clock.instant();
        Snapshot snapshot = snapshots.get(tenant);
        if (snapshot == null || !now.isBefore(snapshot.readAt().plus(LOCAL_TTL))) {
            snapshot = new Snapshot(transactions.execute(status -> servers.list()), now);
            snapshots.put(tenant, snapshot);
        }
        return snapshot;
    }

    private void refreshIfStale(UUID tenant, McpServer server) {
        if (clock.instant().isBefore(server.toolsRefreshedAt().plus(properties.toolsRefresh())) || !refreshing.add(server.id())) {
            return;
        }
        refresher.execute(() -> {
            try {
                refresh(tenant, server);
            }
            finally {
                refreshing.remove(server.id());
            }
        });
    }

    /**
     * Lists the server's tools again and stores them. A failed listing keeps the old list (a server down for a
     * moment keeps its tools; their calls fail on their own) and is retried after the next refresh period.
     */
    private void refresh(UUID tenant, McpServer server) {
        McpOutcome<List<ListedTool>> outcome = connector.listTools(server, properties.maxTools());
        List<ListedTool> listed = switch (outcome) {
            case McpOutcome.Done<List<ListedTool>> done -> done.value();
            case McpOutcome.Failed<List<ListedTool>> failed -> {
                log.info("Refreshing the tools of MCP server {} failed ({}); keeping the last list", server.name(), failed.failure());
                yield server.tools();
            }
        };
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        TenantContext.runAs(tenant, () -> transactions.executeWithoutResult(status -> servers.refreshed(server.id(), listed, now, server
                .toolsRefreshedAt())));
        snapshots.computeIfPresent(tenant, (id, snapshot) -> new Snapshot(snapshot.servers().stream()
                .map(candidate -> candidate.id().equals(server.id()) ? candidate.withTools(listed, now) : candidate).toList(),
                snapshot.readAt()));
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
