package dev.switchboard.database.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.shared.DataDirectory;

/**
 * The embedded shape: active only when {@code spring.datasource.url} is not set. The pool depends on the
 * server bean, so Spring opens it after the server starts and closes it before the server stops.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDataSourceUrlCondition.class)
class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(DataDirectory dataDirectory, DatabaseProperties properties) {
        return EmbeddedPostgresServer.start(dataDirectory.directory("postgres"), properties.embedded());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(server.jdbcUrl())
                .username(server.username())
                .build();
        dataSource.setPoolName("switchboard-embedded");
        return dataSource;
    }
}
