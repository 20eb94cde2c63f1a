package dev.switchboard.database.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.TestDatabaseInitializer;

/**
 * A server started early that the server bean does not take (other settings bound during the refresh, or a
 * context that never asked for it) is stopped, not left running beside the one the application uses.
 */
class EmbeddedPostgresEarlyStartTests {

    private static final DatabaseProperties.Embedded SETTINGS = new DatabaseProperties.Embedded(0,
            Duration.ofSeconds(60), "switchboard", true);

    @Test
    void aStartForOtherSettingsIsStoppedAndNotHandedOut() {
        Path directory = TestDatabaseInitializer.initialisedDataDirectory().resolve("postgres");
        EmbeddedPostgresEarlyStart.Startup startup = startedIn(directory);

        DatabaseProperties.Embedded other = new DatabaseProperties.Embedded(0, Duration.ofSeconds(60), "other", true);
        assertThat(startup.claim(directory, other)).isNull();
        assertThat(directory.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void aStartNobodyClaimedIsStoppedAndCannotBeClaimedAfterwards() {
        Path directory = TestDatabaseInitializer.initialisedDataDirectory().resolve("postgres");
        EmbeddedPostgresEarlyStart.Startup startup = startedIn(directory);

        startup.stopUnclaimed();
        assertThat(directory.resolve("postmaster.pid")).doesNotExist();
        assertThat(startup.claim(directory, SETTINGS)).isNull();
    }

    @Test
    void theMatchingClaimGetsTheRunningServerOnce() throws Exception {
        Path directory = TestDatabaseInitializer.initialisedDataDirectory().resolve("postgres");
        EmbeddedPostgresEarlyStart.Startup startup = startedIn(directory);

        try (EmbeddedPostgresServer server = startup.claim(directory, SETTINGS)) {
            assertThat(server).isNotNull();
            assertThat(directory.resolve("postmaster.pid")).exists();
            assertThat(startup.claim(directory, SETTINGS)).as("a second claim").isNull();
            startup.stopUnclaimed();
            assertThat(directory.resolve("postmaster.pid")).as("the claimed server keeps running").exists();
        }
    }

    private static EmbeddedPostgresEarlyStart.Startup startedIn(Path directory) {
        return new EmbeddedPostgresEarlyStart.Startup(directory, SETTINGS,
                CompletableFuture.supplyAsync(() -> EmbeddedPostgresServer.start(directory, SETTINGS)));
    }
}
