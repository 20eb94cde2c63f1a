package dev.switchboard.persona.internal;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Persona settings ({@code switchboard.persona}).
 *
 * @param cacheTtl how long a replica keeps a persona it looked up for a chat turn or completion. Changes made
 *        through this replica apply at once; changes made through another replica reach this one within this time.
 *        {@code PT0S} looks every persona up in the database for every request.
 */
@Validated
@ConfigurationProperties("switchboard.persona")
public record PersonaProperties(@NotNull @DefaultValue("PT5S") Duration cacheTtl) {

    public PersonaProperties {
        if (cacheTtl.isNegative()) {
            throw new IllegalArgumentException("switchboard.persona.cache-ttl must not be negative, e.g. PT5S");
        }
    }
}
