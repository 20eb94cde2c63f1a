package dev.switchboard.shared.internal.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.stereotype.Component;

import dev.switchboard.shared.DevelopmentSecret;

/**
 * A loud warning when Switchboard serves a non-loopback address while a {@link DevelopmentSecret} is at its
 * development default (built in, or generated into the data directory): anyone who can reach it could forge access
 * tokens or read stored credentials with a key that is public or unmanaged. The {@code prod} profile refuses to start instead; this covers every other profile.
 */
@Component
class DevelopmentSecretsWarning implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DevelopmentSecretsWarning.class);

    private final List<DevelopmentSecret> secrets;
    private final AtomicBoolean warned = new AtomicBoolean();

    DevelopmentSecretsWarning() {
        this(SpringFactoriesLoader.loadFactories(DevelopmentSecret.class, DevelopmentSecretsWarning.class.getClassLoader()));
    }

    DevelopmentSecretsWarning(List<DevelopmentSecret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        warning(event.getApplicationContext().getEnvironment()).filter(text -> warned.compareAndSet(false, true))
                .ifPresent(log::warn);
    }

    /** The warning for this environment, if it serves development secrets beyond this machine. */
    Optional<String> warning(Environment environment) {
        List<String> defaults = secrets.stream().flatMap(secret -> secret.inUse(environment).stream()).toList();
        if (defaults.isEmpty()) {
            return Optional.empty();
        }
        return exposedAddress(environment.getProperty("server.address")).map(address -> """

                ************************************************************************************************
                * DEVELOPMENT SECRETS ON A NETWORK ADDRESS: Switchboard listens on %s
                * with the development value of %s.
                * Built-in values are public (they are in Switchboard's source), generated ones sit unmanaged in the
                * data directory: anyone who can reach this server may forge access tokens or decrypt stored
                * credentials. Set them from the environment or a mounted secret (see the README's settings), or
                * listen on loopback only (server.address=127.0.0.1).
                ************************************************************************************************"""
                .formatted(address, String.join(" and ", defaults)));
    }

    /** What a non-loopback listening address is called, or empty when the server only listens on loopback. */
    static Optional<String> exposedAddress(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return Optional.of("every network interface (server.address is unset)");
        }
        try {
            return InetAddress.getByName(serverAddress.strip()).isLoopbackAddress() ? Optional.empty()
                    : Optional.of(serverAddress.strip());
        }
        catch (UnknownHostException ex) {
            return Optional.of(serverAddress.strip());
        }
    }
}
