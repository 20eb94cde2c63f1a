package dev.switchboard.mcp.internal.server;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The MCP server's tools and their JSON schemas, for people and programs that want to read them without MCP. */
@Tag(name = "MCP")
@SecurityRequirement(name = "bearer")
@RestController
class McpToolsController {

    /** A tool as MCP's {@code tools/list} describes it. */
    record ToolDescription(String name, String title, String description,
            @Schema(description = "Free-form: the JSON Schema of the tool's arguments.") Map<String, Object> inputSchema,
            @Schema(description = "Free-form: the JSON Schema of the tool's structured result, or null.") Map<String, Object> outputSchema) {
    }

    record ToolList(List<ToolDescription> tools) {
    }

    private final List<McpTool> tools;

    McpToolsController(List<McpTool> tools) {
        this.tools = tools;
    }

    @Operation(summary = "List the MCP tools", description = "The tools the MCP server at /api/mcp offers, with the JSON "
            + "schemas of their arguments and structured results: what tools/list answers, as plain JSON. Needs the mcp scope.")
    @GetMapping("/api/mcp/tools")
    ToolList tools() {
        return new ToolList(tools.stream().map(McpTool::definition).map(tool -> new ToolDescription(tool.name(), tool.title(),
                tool.description(), tool.inputSchema(), tool.outputSchema())).toList());
    }
}
