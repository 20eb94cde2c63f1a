package dev.switchboard.sql.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.sql.internal.DatabaseKind;

/**
 * Pools are made on first use without connecting, one per database and revision, small, and closed when unused for
 * the idle time or when their database is discarded.
 */
class DatabasePoolsTests {

    static final UUID TENANT = UUID.randomUUID();

    final DatabasePools pools = new DatabasePools(new OutboundConnections(new OutboundAddressPolicy(List.of("127.0.0.1/32")),
            OutboundResolver.SYSTEM), new ConnectionProperties(1000, 10000, Duration.ofSeconds(30), Duration.ofMinutes(5),
                    Duration.ofSeconds(3), 500, new ConnectionProperties.Pool(3, Duration.ofSeconds(1), Duration.ofSeconds(1))));

    @AfterEach
    void close() {
        pools.destroy();
    }

    static RegisteredDatabase database(long revision) {
        // Port 1: nothing listens there, and a lazy pool must not mind.
        RegisteredDatabase database = CheckedJdbcSocketsTests.database(DatabaseKind.POSTGRESQL, "127.0.0.1", 1);
        return new RegisteredDatabase(ID, database.name(), "", database.kind(), database.host(), database.port(),
                database.database(), database.username(), null, TlsMode.DISABLE, database.allowedTables(), 10,
                Duration.ofSeconds(5), SharedWith.NOBODY, revision);
    }

    static final UUID ID = UUID.randomUUID();

    @Test
    void aPoolIsMadeOnFirstUseWithoutConnectingAndReusedForTheSameRevision() {
        DataSource first = pools.pool(TENANT, database(1));

        assertThat(pools.pool(TENANT, database(1))).isSameAs(first);
        assertThat(pools.pool(TENANT, database(2))).isNotSameAs(first);
        HikariDataSource hikari = (HikariDataSource) first;
        assertThat(hikari.getMaximumPoolSize()).isEqualTo(3);
        assertThat(hikari.getMinimumIdle()).isZero();
        assertThat(hikari.isReadOnly()).isTrue();
        assertThat(hikari.getHikariPoolMXBean().getTotalConnections()).isZero();
    }

    @Test
    void discardingADatabaseClosesEveryRevisionsPool() {
        HikariDataSource first = (HikariDataSource) pools.pool(TENANT, database(1));
        HikariDataSource second = (HikariDataSource) pools.pool(TENANT, database(2));

        pools.discard(TENANT, ID);

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.isClosed() && second.isClosed());
        assertThat(pools.open()).isZero();
    }

    @Test
    void anUnusedPoolIsClosedAfterTheIdleTime() {
        HikariDataSource pool = (HikariDataSource) pools.pool(TENANT, database(1));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(pool::isClosed);
        assertThat(pools.open()).isZero();
    }
}
