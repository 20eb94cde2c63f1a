package dev.switchboard.sql.internal.connection;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of registered databases ({@code switchboard.sql.connections}).
 *
 * @param defaultMaxRows the row cap of a database registered without one
 * @param maxRowsLimit the highest row cap an administrator may give a database: an answer is read into memory
 * @param defaultStatementTimeout the statement timeout of a database registered without one
 * @param maxStatementTimeout the longest statement timeout an administrator may give a database
 * @param connectTimeout how long opening one connection may take (TCP, TLS and login), when a database is tested on
 *        save and when a pool opens a connection
 * @param maxAllowedTables the most tables one database may allow (the catalogue is read for each)
 * @param pool the per-database connection pools
 */
@Validated
@ConfigurationProperties("switchboard.sql.connections")
public record ConnectionProperties(
        @Min(1) @DefaultValue("1000") int defaultMaxRows,
        @Min(1) @Max(1_000_000) @DefaultValue("10000") int maxRowsLimit,
        @NotNull @DefaultValue("PT30S") Duration defaultStatementTimeout,
        @NotNull @DefaultValue("PT5M") Duration maxStatementTimeout,
        @NotNull @DefaultValue("PT5S") Duration connectTimeout,
        @Min(1) @Max(10_000) @DefaultValue("500") int maxAllowedTables,
        @Valid @NotNull @DefaultValue Pool pool) {

    /**
     * Each registered database's HikariCP pool on this replica.
     *
     * @param maxSize the most connections one pool holds (a question runs one statement at a time: a few suffice, and
     *        every replica has its own pool against the customer's database)
     * @param acquireTimeout how long borrowing a connection waits before the caller gets a 503: short, so a dead
     *        database answers quickly rather than holding requests
     * @param idleClose how long a pool may go unused before it is closed (and its connections with it)
     */
    public record Pool(
            @Min(1) @Max(4) @DefaultValue("2") int maxSize,
            @NotNull @DefaultValue("PT3S") Duration acquireTimeout,
            @NotNull @DefaultValue("PT10M") Duration idleClose) {

        public Pool {
            if (acquireTimeout.compareTo(Duration.ofMillis(250)) < 0) {
                throw new IllegalArgumentException("switchboard.sql.connections.pool.acquire-timeout must be at least PT0.25S "
                        + "(HikariCP's floor)");
            }
            if (idleClose.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("switchboard.sql.connections.pool.idle-close must be at least PT1S");
            }
        }
    }

    public ConnectionProperties {
        if (defaultMaxRows > maxRowsLimit) {
            throw new IllegalArgumentException("switchboard.sql.connections.default-max-rows (" + defaultMaxRows
                    + ") must not exceed max-rows-limit (" + maxRowsLimit + ")");
        }
        if (defaultStatementTimeout.compareTo(Duration.ofMillis(100)) < 0
                || defaultStatementTimeout.compareTo(maxStatementTimeout) > 0) {
            throw new IllegalArgumentException("switchboard.sql.connections.default-statement-timeout must be between PT0.1S "
                    + "and max-statement-timeout (" + maxStatementTimeout + ")");
        }
        if (connectTimeout.compareTo(Duration.ofMillis(100)) < 0 || connectTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("switchboard.sql.connections.connect-timeout must be between PT0.1S and PT1M");
        }
    }
}
