package dev.switchboard.sql.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.switchboard.sql.internal.execution.QueryOutcome;
import dev.switchboard.sql.internal.execution.QueryRequest;
import dev.switchboard.sql.internal.execution.ReadOnlyExecutor;
import dev.switchboard.sql.internal.guard.GuardVerdict;
import dev.switchboard.sql.internal.guard.SqlGuard;

/**
 * Every statement of the hostile corpora (src/test/resources/sql/hostile) is refused by the guard with a reason,
 * and then sent straight to the read-only executor, bypassing the guard: the database must come out unchanged
 * (a checksum of every table of the sample schema, taken after each statement). The executor runs as the
 * least-privilege reader the docs tell admins to register; the writing categories run a second time as the
 * owner (superuser / root), where only the executor's own layers stand in the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileStatementsIntegrationTests {

    /** Categories the read-only transaction, the EXPLAIN check and the statement split must stop on their own. */
    private static final Set<String> WRITING = Set.of("write", "ddl", "cte-write", "stacked");

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final SqlGuard guard = new SqlGuard();

    private final ReadOnlyExecutor executor = new ReadOnlyExecutor();

    private String postgresChecksum;

    private String mariadbChecksum;

    /**
     * The owner's connection per database that computes the checksums after each statement: opening one for each of
     * the ~650 checksums was a third of this class's time. Hostile statements run on connections of their own; one
     * that kills other sessions (an "admin" statement run as the owner) makes this one reconnect.
     */
    private final Map<SampleDatabase, Connection> checksumConnections = new EnumMap<>(SampleDatabase.class);

    @BeforeAll
    void createSamples() throws SQLException {
        this.postgresChecksum = prepare(SampleDatabase.POSTGRESQL);
        this.mariadbChecksum = prepare(SampleDatabase.MARIADB);
    }

    private static String prepare(SampleDatabase database) throws SQLException {
        try {
            database.assumeAvailable();
        }
        catch (org.opentest4j.TestAbortedException absent) {
            return null;
        }
        database.recreate();
        return database.checksum();
    }

    @AfterAll
    void checksumsStillMatch() throws SQLException {
        for (Connection connection : this.checksumConnections.values()) {
            connection.close();
        }
        if (this.postgresChecksum != null) {
            assertThat(SampleDatabase.POSTGRESQL.checksum()).isEqualTo(this.postgresChecksum);
        }
        if (this.mariadbChecksum != null) {
            assertThat(SampleDatabase.MARIADB.checksum()).isEqualTo(this.mariadbChecksum);
        }
    }

    static Stream<Arguments> statements() {
        return Stream.concat(
                SqlCorpus.load("/sql/hostile/postgresql.sql").stream()
                        .map(entry -> Arguments.of(SampleDatabase.POSTGRESQL, entry)),
                SqlCorpus.load("/sql/hostile/mariadb.sql").stream()
                        .map(entry -> Arguments.of(SampleDatabase.MARIADB, entry)));
    }

    @Test
    void theCorporaHoldAtLeast150HostileStatementsAcrossBothDialects() {
        assertThat(statements().count()).isGreaterThanOrEqualTo(150);
        assertThat(SqlCorpus.load("/sql/hostile/postgresql.sql")).hasSizeGreaterThan(75);
        assertThat(SqlCorpus.load("/sql/hostile/mariadb.sql")).hasSizeGreaterThan(75);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statements")
    void refusedByTheGuardWithAReason(SampleDatabase database, SqlCorpus.Entry entry) {
        GuardVerdict verdict = this.guard.check(entry.sql(), database.policy(100));
        assertThat(verdict).as(entry.sql()).isInstanceOf(GuardVerdict.Refused.class);
        assertThat(((GuardVerdict.Refused) verdict).reason()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statements")
    void harmlessWhenSentStraightToTheExecutorAsTheReader(SampleDatabase database, SqlCorpus.Entry entry)
            throws SQLException {
        database.assumeAvailable();
        try (Connection reader = database.reader()) {
            QueryOutcome outcome = run(reader, database, entry);
            if (WRITING.contains(entry.category())) {
                assertThat(outcome).as(entry.sql()).isInstanceOf(QueryOutcome.Failed.class);
            }
        }
        assertThat(checksum(database)).as("unchanged after: " + entry.sql()).isEqualTo(expected(database));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("statements")
    void writesStoppedByTheExecutorEvenAsTheOwner(SampleDatabase database, SqlCorpus.Entry entry)
            throws SQLException {
        database.assumeAvailable();
        if (!WRITING.contains(entry.category()) && !entry.category().equals("admin")) {
            return;
        }
        try (Connection owner = database.owner()) {
            QueryOutcome outcome = run(owner, database, entry);
            if (WRITING.contains(entry.category())) {
                assertThat(outcome).as(entry.sql()).isInstanceOf(QueryOutcome.Failed.class);
            }
        }
        assertThat(checksum(database)).as("unchanged after: " + entry.sql()).isEqualTo(expected(database));
    }

    private String checksum(SampleDatabase database) throws SQLException {
        Connection connection = this.checksumConnections.get(database);
        if (connection == null || !connection.isValid(5)) {
            if (connection != null) {
                connection.close();
            }
            connection = database.checksumConnection();
            this.checksumConnections.put(database, connection);
        }
        return database.checksum(connection);
    }

    private QueryOutcome run(Connection connection, SampleDatabase database, SqlCorpus.Entry entry)
            throws SQLException {
        return this.executor.execute(connection,
                new QueryRequest(database.kind(), database.localised(entry.sql()), TIMEOUT, 100, Set.of()));
    }

    private String expected(SampleDatabase database) {
        return database == SampleDatabase.POSTGRESQL ? this.postgresChecksum : this.mariadbChecksum;
    }

}
