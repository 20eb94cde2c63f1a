package dev.switchboard.database.internal;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Migrations run as the owner of the schema, on their own unpooled connections: the application's pool
 * switches every connection to the role {@code switchboard_app}, which owns nothing and is subject to
 * row-level security.
 */
@Configuration(proxyBeanMethods = false)
class MigrationDataSourceConfiguration {

    // Not a default candidate: it must not replace the application's pool wherever a DataSource is injected.
    @Bean(defaultCandidate = false)
    @FlywayDataSource
    DataSource migrationDataSource(ObjectProvider<EmbeddedPostgresServer> embedded, DataSourceProperties properties) {
        EmbeddedPostgresServer server = embedded.getIfAvailable();
        if (server != null) {
            return new DriverManagerDataSource(server.jdbcUrl(), server.username(), "");
        }
        return new DriverManagerDataSource(properties.determineUrl(), properties.determineUsername(),
                properties.determinePassword());
    }
}
