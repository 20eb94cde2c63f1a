package dev.switchboard.shared;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/** Whether the deployment configured Redis ({@code spring.data.redis.url} or {@code .host}): the clustered shape. */
public final class RedisSettings {

    private RedisSettings() {
    }

    public static boolean configured(Environment environment) {
        return StringUtils.hasText(environment.getProperty("spring.data.redis.url"))
                || StringUtils.hasText(environment.getProperty("spring.data.redis.host"));
    }
}
