package dev.switchboard.sql.internal.connection;

import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.switchboard.shared.SealedColumn;
import dev.switchboard.shared.SealedSecrets;
import dev.switchboard.shared.SecretBox;

/**
 * The sealed passwords of registered databases ({@code sql_connections.password_sealed}),
 * for the re-seal job that moves stored secrets to the current encryption key.
 */
@Configuration(proxyBeanMethods = false)
class SealedDatabasePasswords {

    @Bean
    SealedSecrets databasePasswordColumn(JdbcClient jdbc, SecretBox box) {
        return new SealedColumn("registered database passwords", "sql_connections", "id", "password_sealed",
                (tenant, id) -> RegisteredDatabases.context(tenant, (UUID) id), jdbc, box);
    }
}
