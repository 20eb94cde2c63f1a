package dev.switchboard.identity.internal.apikey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import dev.switchboard.identity.internal.CredentialsChanged;
import dev.switchboard.shared.RedisSettings;

/**
 * Clears the {@link ApiKeyCache} of every replica after a change to credentials commits: locally, and, when
 * Redis is configured, by a message on {@value #CHANNEL} that every replica listens to.
 */
@Component
class CredentialInvalidations implements DisposableBean {

    static final String CHANNEL = "switchboard:credentials-changed";
    private static final Logger log = LoggerFactory.getLogger(CredentialInvalidations.class);

    private final ApiKeyCache cache;
    private final StringRedisTemplate redis;
    private final RedisMessageListenerContainer listener;

    CredentialInvalidations(ApiKeyCache cache, Environment environment, ObjectProvider<RedisConnectionFactory> connections) {
        this.cache = cache;
        if (RedisSettings.configured(environment) && connections.getIfAvailable() != null) {
            RedisConnectionFactory factory = connections.getObject();
            this.redis = new StringRedisTemplate(factory);
            this.listener = new RedisMessageListenerContainer();
            listener.setConnectionFactory(factory);
            listener.addMessageListener((message, pattern) -> cache.clear(), new ChannelTopic(CHANNEL));
            listener.afterPropertiesSet();
            listener.start();
        }
        else {
            this.redis = null;
            this.listener = null;
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    void changed(CredentialsChanged event) {
        cache.clear();
        if (redis != null) {
            try {
                redis.convertAndSend(CHANNEL, event.subjectId().toString());
            }
            catch (RuntimeException ex) {
                log.error("Could not tell other replicas that credentials changed; their cached API keys expire "
                        + "within {} s", ApiKeyCache.TTL_SECONDS, ex);
            }
        }
    }

    @Override
    public void destroy() throws Exception {
        if (listener != null) {
            listener.stop();
            listener.destroy();
        }
    }
}
