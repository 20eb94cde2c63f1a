package dev.switchboard.metering.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.stereotype.Component;

import dev.switchboard.shared.RedisSettings;

/**
 * Readiness of the rate-limit store ({@code rateLimitStore} in {@code /health/ready}): always up in-process;
 * with Redis, a PING. A Redis outage takes the replica out of service only under
 * {@code switchboard.metering.redis-failure=closed}; under {@code open} requests go on unmetered, so the
 * replica stays ready.
 */
@Component("rateLimitStore")
class RateLimitStoreHealth implements HealthIndicator {

    private final boolean redis;
    private final ObjectProvider<RedisConnectionFactory> connections;
    private final MeteringProperties properties;

    RateLimitStoreHealth(Environment environment, ObjectProvider<RedisConnectionFactory> connections,
            MeteringProperties properties) {
        this.redis = RedisSettings.configured(environment);
        this.connections = connections;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!redis) {
            return Health.up().build();
        }
        try (RedisConnection connection = connections.getObject().getConnection()) {
            connection.ping();
            return Health.up().build();
        }
        catch (RuntimeException ex) {
            return properties.redisFailure() == MeteringProperties.RedisFailure.CLOSED
                    ? Health.outOfService().build() : Health.up().build();
        }
    }
}
