package dev.switchboard.sql.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.switchboard.shared.OutboundAddressPolicy;
import dev.switchboard.shared.OutboundConnections;
import dev.switchboard.shared.OutboundRefusedException;
import dev.switchboard.shared.OutboundResolver;
import dev.switchboard.sql.RemoteDatabases;
import dev.switchboard.sql.internal.DatabaseKind;
import dev.switchboard.sql.internal.TableAccess;

/**
 * Both drivers connect only through the checked socket factory: with nothing else checking the address on the way,
 * a forbidden destination is refused by the socket as it connects, and an allowed one works. A connection made
 * without the registration key gets no socket at all (never an unchecked one).
 */
class CheckedJdbcSocketsTests {

    static final ConnectionProperties PROPERTIES = new ConnectionProperties(1000, 10000, Duration.ofSeconds(30),
            Duration.ofMinutes(5), Duration.ofSeconds(3), 500, new ConnectionProperties.Pool(2, Duration.ofSeconds(1),
                    Duration.ofMinutes(10)));

    static RegisteredDatabase database(DatabaseKind kind, String host, int port) {
        return new RegisteredDatabase(UUID.randomUUID(), "db", "", kind, host, port, "test",
                kind == DatabaseKind.POSTGRESQL ? "postgres" : "root", null, TlsMode.DISABLE,
                List.of(new TableAccess("t", null, null)), 100, Duration.ofSeconds(5), SharedWith.NOBODY, 1);
    }

    static DatabasePools pools(List<String> allowedNetworks) {
        return new DatabasePools(new OutboundConnections(new OutboundAddressPolicy(allowedNetworks), OutboundResolver.SYSTEM),
                PROPERTIES);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aForbiddenAddressIsRefusedByTheSocket(DatabaseKind kind) {
        DatabasePools pools = pools(List.of("127.0.0.1/32"));
        try {
            for (String host : List.of("169.254.169.254", "10.255.255.1", "::1")) {
                assertThatThrownBy(() -> pools.connect(database(kind, host, 5432)).close())
                        .isInstanceOf(SQLException.class)
                        .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).as(host).isPresent());
            }
        }
        finally {
            pools.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void loopbackIsRefusedUnlessTheOperatorOpenedIt(DatabaseKind kind) throws SQLException {
        int port = kind == DatabaseKind.POSTGRESQL ? 5432 : 3306;
        if (kind == DatabaseKind.POSTGRESQL) {
            RemoteDatabases.assumePostgres();
        }
        else {
            RemoteDatabases.assumeMariaDb();
        }
        DatabasePools strict = pools(List.of());
        DatabasePools opened = pools(List.of("127.0.0.1/32"));
        try {
            assertThatThrownBy(() -> strict.connect(database(kind, "127.0.0.1", port)).close())
                    .satisfies(thrown -> assertThat(OutboundRefusedException.in(thrown)).isPresent());
            try (Connection connection = opened.connect(database(kind, "127.0.0.1", port))) {
                assertThat(connection.isValid(2)).isTrue();
            }
        }
        finally {
            strict.destroy();
            opened.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void withoutItsKeyADriverGetsNoSocket(DatabaseKind kind) {
        DatabasePools pools = pools(List.of("127.0.0.1/32"));
        pools.destroy();

        assertThatThrownBy(() -> pools.connect(database(kind, "127.0.0.1", 1)).close()).isInstanceOf(SQLException.class)
                .satisfies(thrown -> assertThat(chain(thrown)).contains("No outbound address policy is registered"));
    }

    private static String chain(Throwable thrown) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append(" | ");
        }
        return messages.toString();
    }
}
