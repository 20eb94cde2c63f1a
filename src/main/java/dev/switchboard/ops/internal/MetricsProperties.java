package dev.switchboard.ops.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Access to {@code /metrics}.
 *
 * @param token bearer token that lets non-loopback clients (a Prometheus server) read {@code /metrics};
 *        unset, only loopback clients may, and everyone else gets 404
 */
@Validated
@ConfigurationProperties("switchboard.metrics")
record MetricsProperties(String token) {

    MetricsProperties {
        if (token != null && !token.isBlank() && token.strip().length() < 16) {
            throw new IllegalArgumentException("switchboard.metrics.token must be at least 16 characters");
        }
    }

    boolean hasToken() {
        return token != null && !token.isBlank();
    }
}
