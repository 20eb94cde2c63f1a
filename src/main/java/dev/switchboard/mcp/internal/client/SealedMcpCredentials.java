package dev.switchboard.mcp.internal.client;

import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.switchboard.shared.SealedColumn;
import dev.switchboard.shared.SealedSecrets;
import dev.switchboard.shared.SecretBox;

/**
 * The sealed auth header values of external MCP servers ({@code mcp_servers.auth_header_sealed}),
 * for the re-seal job that moves stored secrets to the current encryption key.
 */
@Configuration(proxyBeanMethods = false)
class SealedMcpCredentials {

    @Bean
    SealedSecrets mcpCredentialColumn(JdbcClient jdbc, SecretBox box) {
        return new SealedColumn("MCP server credentials", "mcp_servers", "id", "auth_header_sealed",
                (tenant, id) -> McpServers.context(tenant, (UUID) id), jdbc, box);
    }
}
