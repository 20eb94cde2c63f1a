package dev.switchboard.identity.internal.token;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.switchboard.shared.PurgeFunction;
import dev.switchboard.shared.RetentionTask;

/** Refresh tokens are purged {@code switchboard.retention.refresh-tokens} after they expired or were revoked. */
@Configuration(proxyBeanMethods = false)
class RefreshTokenRetention {

    @Bean
    RetentionTask refreshTokenPurge(JdbcClient jdbc, PlatformTransactionManager transactions) {
        return new PurgeFunction("refresh-tokens", "expired or revoked refresh tokens",
                "switchboard_purge_refresh_tokens", jdbc, transactions);
    }
}
