package dev.switchboard.mcp.internal.server;

import java.util.List;

import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStatelessServerTransport;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import dev.switchboard.identity.ProtectedResources;
import dev.switchboard.shared.ProblemResponder;
import dev.switchboard.shared.Traces;
import io.micrometer.core.instrument.MeterRegistry;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import tools.jackson.databind.json.JsonMapper;

/**
 * Switchboard's MCP server on Spring AI's auto-configuration: the stateless Streamable HTTP transport at
 * {@code /api/mcp} (any replica answers any request; no session lives on the server), with the caller of each HTTP
 * request carried to the tools, and the tools of this package. The API's security chain, rate limits and usage
 * counting run in front of it as for every {@code /api} request.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spring.ai.mcp.server", name = "enabled", havingValue = "true", matchIfMissing = true)
class McpServerConfiguration {

    /** The settings under which the stock endpoints stay off and ours sits behind the API's guard. */
    static final String PROTOCOL = "STATELESS";

    /**
     * Replaces the auto-configured transport (same endpoint) to capture the authenticated caller of each request.
     * Start-up fails on any other protocol or endpoint: the stateful and SSE transports would open Spring AI's stock
     * endpoints, which are not under {@code /api} and so not behind its authentication.
     */
    @Bean
    WebMvcStatelessServerTransport webMvcStatelessServerTransport(@Qualifier("mcpServerJsonMapper") JsonMapper jsonMapper,
            Environment environment) {
        String protocol = environment.getProperty("spring.ai.mcp.server.protocol", "");
        String endpoint = environment.getProperty("spring.ai.mcp.server.streamable-http.mcp-endpoint", "");
        if (!PROTOCOL.equalsIgnoreCase(protocol) || !ProtectedResources.MCP_PATH.equals(endpoint)) {
            throw new IllegalStateException("The MCP server runs only as spring.ai.mcp.server.protocol=STATELESS at "
                    + "spring.ai.mcp.server.streamable-http.mcp-endpoint=" + ProtectedResources.MCP_PATH + " (found "
                    + protocol + " at " + endpoint + "): other transports open endpoints outside the API's authentication.");
        }
        return WebMvcStatelessServerTransport.builder().jsonMapper(new JacksonMcpJsonMapper(jsonMapper))
                .messageEndpoint(ProtectedResources.MCP_PATH).contextExtractor(McpToolCalls::captureCaller).build();
    }

    /** The transport's routes, with HTTP requests that are not MCP messages answered as problems first. */
    @Bean
    RouterFunction<ServerResponse> webMvcStatelessServerRouterFunction(WebMvcStatelessServerTransport transport,
            ProblemResponder problems) {
        return transport.getRouterFunction().filter(new McpRequestCheck(problems));
    }

    @Bean
    McpToolCalls mcpToolCalls(MeterRegistry meters, Traces traces) {
        return new McpToolCalls(meters, traces);
    }

    /** The tools, as the server auto-configuration collects them. */
    @Bean
    List<SyncToolSpecification> switchboardMcpTools(McpToolCalls calls, List<McpTool> tools) {
        return calls.specifications(tools);
    }
}
