package dev.switchboard.sql.internal.connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.shared.OutboundConnections;

/**
 * This replica's connection pools to registered databases: one small HikariCP pool per database and revision,
 * created on first use, closed when unused for {@code idle-close} or when the database is changed or removed here.
 * A change made on another replica moves the revision, so the old revision's pool is no longer asked for and idles
 * out. Pools hold no connection when idle ({@code minimumIdle} 0) and open one when asked, so a database that was
 * down is used again as soon as it is back.
 */
@Component
public class DatabasePools implements DisposableBean {

    private record PoolKey(UUID tenant, UUID database, long revision) {
    }

    private final OutboundSockets sockets;
    private final ConnectionProperties properties;
    private final Cache<PoolKey, HikariDataSource> pools;

    DatabasePools(OutboundConnections outbound, ConnectionProperties properties) {
        this.sockets = new OutboundSockets(outbound);
        this.properties = properties;
        this.pools = Caffeine.newBuilder()
                .expireAfterAccess(properties.pool().idleClose())
                // Expired pools are closed on time, not only when the cache is next touched.
                .scheduler(Scheduler.systemScheduler())
                .removalListener((PoolKey key, HikariDataSource pool, RemovalCause cause) -> {
                    if (pool != null) {
                        pool.close();
                    }
                })
                .build();
    }

    /** The pool of the database's current revision in the tenant, created if there is none yet. */
    public DataSource pool(UUID tenant, RegisteredDatabase database) {
        return pools.get(new PoolKey(tenant, database.id(), database.revision()), key -> create(database));
    }

    /** Closes this replica's pools of the database, every revision. */
    public void discard(UUID tenant, UUID database) {
        pools.invalidateAll(pools.asMap().keySet().stream()
                .filter(key -> key.tenant().equals(tenant) && key.database().equals(database)).toList());
    }

    /** How many pools are open on this replica (for tests and metrics). */
    public long open() {
        pools.cleanUp();
        return pools.estimatedSize();
    }

    /**
     * One connection, outside any pool: how a database is tested before it is saved. Fails as the driver fails;
     * {@link ConnectFailure#of} tells why.
     */
    public Connection connect(RegisteredDatabase database) throws SQLException {
        JdbcEndpoint endpoint = endpoint(database);
        return java.sql.DriverManager.getDriver(endpoint.url()).connect(endpoint.url(), endpoint.properties());
    }

    private HikariDataSource create(RegisteredDatabase database) {
        JdbcEndpoint endpoint = endpoint(database);
        HikariConfig config = new HikariConfig();
        config.setPoolName("sql-" + database.name() + "-" + database.revision());
        config.setJdbcUrl(endpoint.url());
        config.setDataSourceProperties(endpoint.properties());
        config.setMaximumPoolSize(properties.pool().maxSize());
        config.setMinimumIdle(0);
        config.setConnectionTimeout(properties.pool().acquireTimeout().toMillis());
        config.setIdleTimeout(Math.max(10_000, properties.pool().idleClose().toMillis() / 2));
        // Lazy: the pool opens no connection when it is made, and a database that is down does not fail its creation.
        config.setInitializationFailTimeout(-1);
        config.setReadOnly(true);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }

    private JdbcEndpoint endpoint(RegisteredDatabase database) {
        return JdbcEndpoint.of(database, sockets.key(), properties.connectTimeout());
    }

    @Override
    public void destroy() {
        pools.invalidateAll();
        pools.cleanUp();
        sockets.close();
    }
}
