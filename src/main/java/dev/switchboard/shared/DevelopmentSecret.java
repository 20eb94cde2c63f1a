package dev.switchboard.shared;

import java.util.Optional;

import org.springframework.core.env.Environment;

/**
 * A secret setting with a development default built into Switchboard (the JWT signing secret, the encryption
 * key). Modules list implementations in {@code META-INF/spring.factories}; the {@code prod} profile refuses the
 * defaults (see {@link ProductionRequirement}), and any other profile that serves them on a non-loopback address
 * logs a loud warning at start-up.
 */
public interface DevelopmentSecret {

    /** The setting's name when the environment leaves it at (or unset, hence at) its development default. */
    Optional<String> inUse(Environment environment);
}
