package dev.switchboard.metering.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.switchboard.shared.PurgeFunction;
import dev.switchboard.shared.RetentionTask;

/** Usage rows are purged {@code switchboard.retention.usage} after their minute. */
@Configuration(proxyBeanMethods = false)
class UsageRetention {

    @Bean
    RetentionTask usagePurge(JdbcClient jdbc, PlatformTransactionManager transactions) {
        return new PurgeFunction("usage", "usage rows", "switchboard_purge_usage_records", jdbc, transactions);
    }
}
