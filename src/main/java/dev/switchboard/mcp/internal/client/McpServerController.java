package dev.switchboard.mcp.internal.client;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Tag(name = "MCP servers")
@SecurityRequirement(name = "bearer")
@RestController
@RequestMapping("/api/mcp/servers")
@PreAuthorize("hasRole('ADMIN')")
class McpServerController {

    private final McpServerAdministration administration;
    private final JsonMapper json;

    McpServerController(McpServerAdministration administration, JsonMapper json) {
        this.administration = administration;
        this.json = json;
    }

    /** A server as administrators see it: never its credential, only whether it has one. */
    record McpServerView(UUID id, String name, String url, String transport, String authHeaderName, boolean authHeaderSet,
            List<String> allowedTools, String timeout, Instant toolsRefreshedAt, int toolsListed) {

        static McpServerView of(McpServer server) {
            return new McpServerView(server.id(), server.name(), server.url(), server.transport().id(),
                    server.hasCredential() ? server.authHeaderName() : null, server.hasCredential(), server.allowedTools(),
                    server.timeout().toString(), server.toolsRefreshedAt(), server.tools().size());
        }
    }

    /**
     * A tool the server lists. {@code offered}: personas may be given it ({@code allowed}, and its name fits what
     * models accept); {@code changedSinceApproved}: the server now describes it otherwise than when it was allowed
     * (models are still told the approved definition; save the server again to approve the new one).
     */
    @Schema(name = "McpServerTool")
    record ToolView(String name, String toolName, String modelName, String description,
            @Schema(description = "Free-form: the JSON Schema of the tool's arguments, as the server lists it.") JsonNode inputSchema,
            boolean allowed,
            boolean offered, boolean changedSinceApproved) {
    }

    @Schema(name = "McpServerTools")
    record ToolsView(UUID server, Instant refreshedAt, List<ToolView> tools) {
    }

    record McpServerList(List<McpServerView> servers) {
    }

    @Operation(summary = "List MCP servers", description = "This tenant's external MCP servers. Credentials are never "
            + "returned; authHeaderSet says whether there is one.")
    @GetMapping
    McpServerList list() {
        return new McpServerList(administration.list().stream().map(McpServerView::of).toList());
    }

    @Operation(summary = "Show one MCP server")
    @GetMapping("/{id}")
    McpServerView show(@PathVariable UUID id) {
        return McpServerView.of(administration.find(id).orElseThrow(() -> McpServerAdministration.notFound(id)));
    }

    @Operation(summary = "Register an MCP server", description = "Tests the server first — initializes a session and lists "
            + "its tools — and saves nothing when that fails (422 with the reason). allowedTools names the tools personas may "
            + "be given (none when empty); each must be one the server lists. The auth header value is stored encrypted and "
            + "never returned. The timeout (ISO-8601, e.g. PT30S) bounds each call.")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    McpServerView create(@RequestBody McpServerAdministration.Registration registration) {
        return McpServerView.of(administration.register(registration));
    }

    @Operation(summary = "Change an MCP server", description = "Replaces its settings and tests it again, as on "
            + "registration. Omit authHeaderValue to keep the stored one, send an empty one to remove it. The name cannot change.")
    @PutMapping("/{id}")
    McpServerView update(@PathVariable UUID id, @RequestBody McpServerAdministration.Registration registration) {
        return McpServerView.of(administration.update(id, registration));
    }

    @Operation(summary = "Remove an MCP server", description = "Its tools are no longer offered; personas that list them "
            + "keep the names, and a call of one is answered as a call of an unknown tool.")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable UUID id) {
        administration.delete(id);
    }

    @Operation(summary = "An MCP server's tools", description = "The tools it listed at the last refresh, with their "
            + "schemas, and which of them personas may be given.")
    @GetMapping("/{id}/tools")
    ToolsView tools(@PathVariable UUID id) {
        McpServer server = administration.find(id).orElseThrow(() -> McpServerAdministration.notFound(id));
        return new ToolsView(server.id(), server.toolsRefreshedAt(), server.tools().stream().map(tool -> view(server, tool)).toList());
    }

    private ToolView view(McpServer server, ListedTool tool) {
        boolean changed = server.approvedTools().stream().anyMatch(approved -> approved.name().equals(tool.name())
                && !approved.equals(tool));
        return new ToolView(server.name() + "/" + tool.name(), tool.name(), ListedTool.modelName(server.name(), tool.name()),
                tool.description(), json.readTree(tool.inputSchema()), server.allowedTools().contains(tool.name()),
                server.offered(tool.name()).isPresent() && tool.offerable(server.name()), changed);
    }
}
