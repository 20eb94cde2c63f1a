package dev.switchboard.identity.internal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The first administrator, created at start-up when both e-mail and password are set and no user exists.
 *
 * @param adminEmail e-mail address of the first admin
 * @param adminPassword password of the first admin (from the environment or a mounted secret)
 * @param tenant slug of the tenant created for them (here or on the first-run page)
 * @param firstRunEnabled whether, while no user exists, the web app's first-run page may create the first admin (with the
 *        set-up code the server logs at start-up)
 */
@Validated
@ConfigurationProperties("switchboard.bootstrap")
public record BootstrapProperties(
        String adminEmail,
        String adminPassword,
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}") @DefaultValue("default") String tenant,
        @DefaultValue("true") boolean firstRunEnabled) {

    public boolean requested() {
        return adminEmail != null && !adminEmail.isBlank() && adminPassword != null && !adminPassword.isBlank();
    }
}
