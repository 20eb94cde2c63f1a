package dev.switchboard.shared.internal.config;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every module shares.
 *
 * @param dataDir where Switchboard keeps local state (embedded database, later indexes and uploads)
 * @param http limits applied to every HTTP request
 */
@Validated
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @Valid @NotNull @DefaultValue Http http) {

    /**
     * @param maxBody the largest request body accepted (uploads have their own limit)
     */
    public record Http(@NotNull @DefaultValue("1MB") DataSize maxBody) {

        public Http {
            if (maxBody.toBytes() <= 0) {
                throw new IllegalArgumentException("switchboard.http.max-body must be positive, was " + maxBody);
            }
        }
    }
}
