package dev.switchboard.shared.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;

class RedisWhenConfiguredTests {

    @Test
    void withoutRedisSettingsRedisAutoConfigurationIsExcludedAndTheDeploymentsOwnExclusionsKept() {
        StandardEnvironment environment = environment(Map.of(RedisWhenConfigured.EXCLUDE, "com.example.OwnAutoConfiguration"));

        new RedisWhenConfigured().postProcessEnvironment(environment, new SpringApplication());

        assertThat(excluded(environment)).startsWith("com.example.OwnAutoConfiguration")
                .containsAll(RedisWhenConfigured.REDIS_AUTO_CONFIGURATIONS);
    }

    @Test
    void withARedisHostOrUrlNothingIsExcluded() {
        for (String setting : List.of("spring.data.redis.host", "spring.data.redis.url")) {
            StandardEnvironment environment = environment(Map.of(setting, "redis.internal"));

            new RedisWhenConfigured().postProcessEnvironment(environment, new SpringApplication());

            assertThat(excluded(environment)).as(setting).isEmpty();
        }
    }

    @Test
    void theExcludedNamesAreSpringBootsRedisAutoConfigurations() {
        // A Spring Boot upgrade that renames them would otherwise make the exclusion a silent no-op.
        assertThat(RedisWhenConfigured.REDIS_AUTO_CONFIGURATIONS)
                .allMatch(name -> ClassUtils.isPresent(name, getClass().getClassLoader()), "present on the class path");
    }

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return environment;
    }

    private static List<String> excluded(StandardEnvironment environment) {
        return Binder.get(environment).bind(RedisWhenConfigured.EXCLUDE, Bindable.listOf(String.class)).orElse(List.of());
    }
}
