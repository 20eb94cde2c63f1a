package dev.switchboard.shared.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.switchboard.shared.RedisSettings;

/**
 * Leaves Spring Boot's Redis auto-configuration out unless the deployment configured Redis ({@link RedisSettings}):
 * every Redis user in Switchboard asks for a connection factory only then, yet the auto-configuration built Lettuce's
 * client resources, a connection factory and templates at every start (about a second of a start on 2 cores, its threads
 * and memory) for nothing. Exclusions the deployment set itself ({@code spring.autoconfigure.exclude}) are kept.
 */
public class RedisWhenConfigured implements EnvironmentPostProcessor, Ordered {

    static final String EXCLUDE = "spring.autoconfigure.exclude";

    static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
            "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration",
            // Netty is on the class path for Lettuce alone; its auto-configuration only sets Netty's leak detection.
            "org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (RedisSettings.configured(environment)) {
            return;
        }
        Set<String> excluded = new LinkedHashSet<>(
                Binder.get(environment).bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
        excluded.addAll(REDIS_AUTO_CONFIGURATIONS);
        environment.getPropertySources().addFirst(new MapPropertySource("switchboard-redis-not-configured",
                Map.of(EXCLUDE, String.join(",", new ArrayList<>(excluded)))));
    }

    /** After the configuration files, profiles and the command line are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
