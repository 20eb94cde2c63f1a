package dev.switchboard.metering.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.switchboard.metering.RateLimiter;
import dev.switchboard.metering.UsageRecorder;
import dev.switchboard.shared.RedisSettings;
import dev.switchboard.shared.WebFilterOrder;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Chooses where buckets live: Redis when {@code spring.data.redis.url} or {@code .host} is configured,
 * this process otherwise.
 */
@Configuration(proxyBeanMethods = false)
class MeteringConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MeteringConfiguration.class);

    @Bean
    RateLimiter rateLimiter(Environment environment, ObjectProvider<RedisConnectionFactory> redis,
            MeteringProperties properties, MeterRegistry meters) {
        if (RedisSettings.configured(environment) && redis.getIfAvailable() instanceof LettuceConnectionFactory lettuce
                && lettuce.getNativeClient() instanceof RedisClient client) {
            log.info("Rate limits and quotas live in Redis: exact across replicas");
            return new RedisRateLimiter(client, properties.redisFailure(), meters);
        }
        log.info("Rate limits live in this process (no spring.data.redis.*): exact for a single replica only");
        return new LocalRateLimiter();
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RateLimiter limiter, MeteringProperties properties,
            TooManyRequests tooManyRequests, UsageRecorder usage) {
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
                new RateLimitFilter(limiter, properties, tooManyRequests, usage));
        registration.setOrder(WebFilterOrder.RATE_LIMIT);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AuthorizationServerRateLimitFilter> authorizationServerRateLimitFilter(RateLimiter limiter,
            MeteringProperties properties, TooManyRequests tooManyRequests) {
        FilterRegistrationBean<AuthorizationServerRateLimitFilter> registration = new FilterRegistrationBean<>(
                new AuthorizationServerRateLimitFilter(limiter, properties, tooManyRequests));
        registration.setOrder(WebFilterOrder.AUTHORIZATION_SERVER_RATE_LIMIT);
        return registration;
    }
}
