package dev.switchboard.database.internal;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import dev.switchboard.shared.DataDirectory;

/**
 * Starts the embedded PostgreSQL on a background thread while the application context is refreshed, instead of
 * on the main thread when the pool first needs it: the server's start (1.1-1.6 s of a 12.6 s warm restart on the
 * 2-core reference machine, measured with JFR and Spring's start-up steps) then overlaps the parsing of the
 * configuration classes rather than adding to it.
 *
 * <p>It runs when the application is prepared: the environment is final then (command line, profiles, test
 * initialisers), so it decides on the same {@code spring.datasource.url} as {@link NoDataSourceUrlCondition}. The
 * server bean {@linkplain Startup#claim claims} the running start when its settings are those bound here; otherwise
 * (or with {@code switchboard.database.embedded.parallel-start=false}) it starts its own. A start nobody claimed
 * is stopped once the application has started or has failed to, so no PostgreSQL outlives its context.
 */
class EmbeddedPostgresEarlyStart implements ApplicationListener<SpringApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresEarlyStart.class);

    private Startup startup;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationPreparedEvent prepared) {
            start(prepared.getApplicationContext());
        }
        else if (event instanceof ApplicationStartedEvent || event instanceof ApplicationFailedEvent) {
            if (startup != null) {
                startup.stopUnclaimed();
                startup = null;
            }
        }
    }

    private void start(ConfigurableApplicationContext context) {
        Environment environment = context.getEnvironment();
        if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
            return;
        }
        Binder binder = Binder.get(environment);
        DatabaseProperties.Embedded settings = binder.bindOrCreate("switchboard.database", DatabaseProperties.class)
                .embedded();
        Path root = binder.bind("switchboard.data-dir", Path.class).orElse(null);
        if (!settings.parallelStart() || root == null || settings.port() < 0 || settings.port() > 65535) {
            return;
        }
        Path directory = new DataDirectory(root).root().resolve("postgres");
        CompletableFuture<EmbeddedPostgresServer> server = new CompletableFuture<>();
        Thread.ofPlatform().name("embedded-postgres-start").daemon().start(() -> {
            try {
                server.complete(EmbeddedPostgresServer.start(directory, settings));
            }
            catch (Throwable ex) {
                server.completeExceptionally(ex);
            }
        });
        startup = new Startup(directory, settings, server);
        context.getBeanFactory().registerSingleton(Startup.BEAN_NAME, startup);
    }

    /** A start under way: the directory and settings it was started with, and the server once it is up. */
    static final class Startup {

        static final String BEAN_NAME = "embeddedPostgresEarlyStart";

        private final Path directory;
        private final DatabaseProperties.Embedded settings;
        private final CompletableFuture<EmbeddedPostgresServer> server;
        private boolean claimed;

        Startup(Path directory, DatabaseProperties.Embedded settings, CompletableFuture<EmbeddedPostgresServer> server) {
            this.directory = directory;
            this.settings = settings;
            this.server = server;
        }

        /**
         * The server started early, waiting for its start to finish (a failed start throws as
         * {@link EmbeddedPostgresServer#start} would have), or {@code null} when it was started for another
         * directory or other settings than these: that one is stopped and the caller starts its own.
         */
        synchronized EmbeddedPostgresServer claim(Path directory, DatabaseProperties.Embedded settings) {
            if (claimed) {
                return null;
            }
            claimed = true;
            if (!this.directory.equals(directory) || !this.settings.equals(settings)) {
                log.info("The embedded PostgreSQL started early in {} does not match the settings bound now; "
                        + "starting it again", this.directory);
                stop();
                return null;
            }
            try {
                return server.join();
            }
            catch (CompletionException ex) {
                if (ex.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (ex.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw ex;
            }
        }

        synchronized void stopUnclaimed() {
            if (!claimed) {
                claimed = true;
                stop();
            }
        }

        private void stop() {
            try {
                server.join().close();
            }
            catch (Exception ex) {
                log.debug("The embedded PostgreSQL started early did not start or stop cleanly", ex);
            }
        }
    }
}
