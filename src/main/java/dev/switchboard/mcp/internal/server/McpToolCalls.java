package dev.switchboard.mcp.internal.server;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.function.ServerRequest;

import dev.switchboard.identity.Caller;
import dev.switchboard.llm.InvalidToolArguments;
import dev.switchboard.llm.ToolArguments;
import dev.switchboard.shared.RequestIds;
import dev.switchboard.tenancy.TenantContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * Runs MCP tool calls as the caller who sent them. The caller is taken from the request's security context when the
 * transport reads the request ({@link #captureCaller}) and made current again around the call, with its tenant, so
 * that row-level security, token quotas and usage apply to it as to a REST request — whichever thread the SDK runs
 * the tool on. Every outcome but success becomes an {@code isError} result: bad arguments and refused calls with
 * their message, anything unexpected with the request id to quote (the cause goes to the log, never to the client).
 */
final class McpToolCalls {

    private static final Logger log = LoggerFactory.getLogger(McpToolCalls.class);

    /** Where the transport context keeps the caller's authentication. */
    static final String AUTHENTICATION = "switchboard.authentication";
    private static final String REQUEST_ID = "switchboard.requestId";

    private final MeterRegistry meters;

    McpToolCalls(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The transport's context extractor: the authenticated caller of the HTTP request, and its request id. */
    static McpTransportContext captureCaller(ServerRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof Caller)) {
            return McpTransportContext.EMPTY;
        }
        Object requestId = request.servletRequest().getAttribute(RequestIds.ATTRIBUTE);
        return McpTransportContext.create(requestId == null ? Map.of(AUTHENTICATION, authentication)
                : Map.of(AUTHENTICATION, authentication, REQUEST_ID, requestId));
    }

    /** The SDK's specification of each tool, every call going through {@link #call}. */
    List<SyncToolSpecification> specifications(List<McpTool> tools) {
        return tools.stream().map(tool -> SyncToolSpecification.builder().tool(tool.definition())
                .callHandler((context, request) -> call(tool, context, request)).build()).toList();
    }

    McpSchema.CallToolResult call(McpTool tool, McpTransportContext context, McpSchema.CallToolRequest request) {
        String name = tool.definition().name();
        if (!(context.get(AUTHENTICATION) instanceof Authentication authentication)
                || !(authentication.getPrincipal() instanceof Caller caller)) {
            return counted(name, ToolResults.error("Not authenticated: send Authorization: Bearer <API key or access token>."));
        }
        SecurityContext previous = SecurityContextHolder.getContext();
        boolean foreignThread = previous.getAuthentication() != authentication;
        if (foreignThread) {
            SecurityContext current = SecurityContextHolder.createEmptyContext();
            current.setAuthentication(authentication);
            SecurityContextHolder.setContext(current);
        }
        try (TenantContext.Scope ignored = TenantContext.open(caller.tenantId())) {
            return counted(name, tool.call(caller, ToolArguments.of(request.arguments())));
        }
        catch (InvalidToolArguments invalid) {
            return counted(name, ToolResults.error(invalid.getMessage()));
        }
        catch (ErrorResponseException refused) {
            // The same problem the REST API would answer with (quota spent, session expired, no provider answering).
            String detail = refused.getBody().getDetail();
            return counted(name, ToolResults.error(detail != null ? detail : refused.getBody().getTitle()));
        }
        catch (RuntimeException unexpected) {
            Object requestId = context.get(REQUEST_ID);
            log.error("MCP tool {} failed (request {})", name, requestId, unexpected);
            return counted(name, ToolResults.error("The tool failed unexpectedly; it was logged"
                    + (requestId != null ? " under request id " + requestId : "") + ". Try again, or report the id."));
        }
        finally {
            if (foreignThread) {
                SecurityContextHolder.setContext(previous);
            }
        }
    }

    /** Counts {@code switchboard_mcp_tool_calls_total{tool,error}}. */
    private McpSchema.CallToolResult counted(String tool, McpSchema.CallToolResult result) {
        Counter.builder("switchboard.mcp.tool.calls").description("MCP tool calls by tool and whether they failed")
                .tag("tool", tool).tag("error", String.valueOf(Boolean.TRUE.equals(result.isError()))).register(meters)
                .increment();
        return result;
    }
}
