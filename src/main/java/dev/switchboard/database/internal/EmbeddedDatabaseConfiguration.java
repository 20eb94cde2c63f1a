package dev.switchboard.database.internal;

import java.nio.file.Path;

import org.springframework.beans.factory.ObjectProvider;
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

    /** The server {@link EmbeddedPostgresEarlyStart} started while the context was refreshed, or one started now. */
    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgresServer(DataDirectory dataDirectory, DatabaseProperties properties,
            ObjectProvider<EmbeddedPostgresEarlyStart.Startup> earlyStart) {
        Path directory = dataDirectory.directory("postgres");
        EmbeddedPostgresEarlyStart.Startup startup = earlyStart.getIfAvailable();
        EmbeddedPostgresServer started = startup == null ? null : startup.claim(directory, properties.embedded());
        return started != null ? started : EmbeddedPostgresServer.start(directory, properties.embedded());
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
