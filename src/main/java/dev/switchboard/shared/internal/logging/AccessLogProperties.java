package dev.switchboard.shared.internal.logging;

import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP access log.
 *
 * @param enabled whether every HTTP request gets a line on the {@code switchboard.access} logger
 * @param excludedPaths path patterns ({@code /health/**}) whose requests get none: the probes, which a load balancer and
 *        Prometheus call every few seconds
 */
@Validated
@ConfigurationProperties("switchboard.logging.access")
record AccessLogProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue({
                "/health", "/health/**", "/metrics"}) List<String> excludedPaths) {
}
