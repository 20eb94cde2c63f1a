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
 * @param startup what the process does once at start-up
 */
@Validated
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @Valid @NotNull @DefaultValue Http http,
        @Valid @NotNull @DefaultValue Startup startup) {

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

    /**
     * @param trimHeap after start-up, before readiness, collect the start-up garbage once and give the heap it no
     *        longer needs back to the operating system ({@link StartupHeapTrim})
     */
    public record Startup(@DefaultValue("true") boolean trimHeap) {
    }
}
