package dev.switchboard.database.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the relational store; they apply to the embedded PostgreSQL only (an external server is
 * configured through {@code spring.datasource.*}).
 *
 * @param embedded the embedded PostgreSQL
 */
@Validated
@ConfigurationProperties("switchboard.database")
record DatabaseProperties(@Valid @NotNull @DefaultValue Embedded embedded) {

    /**
     * @param port TCP port on 127.0.0.1; 0 picks a free one at each start
     * @param startupTimeout how long to wait for the server to accept connections
     * @param databaseName the database Switchboard creates and uses inside the cluster
     * @param parallelStart start the server on a background thread as soon as the application is prepared, in
     *     parallel with the context's refresh, rather than when the connection pool first needs it
     */
    record Embedded(
            @Min(0) @Max(65535) @DefaultValue("0") int port,
            @NotNull @DefaultValue("60s") Duration startupTimeout,
            @NotNull @DefaultValue("switchboard") String databaseName,
            @DefaultValue("true") boolean parallelStart) {
    }
}
