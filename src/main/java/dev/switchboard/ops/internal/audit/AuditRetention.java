package dev.switchboard.ops.internal.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import dev.switchboard.shared.PurgeFunction;
import dev.switchboard.shared.RetentionTask;

/** Audit events are purged {@code switchboard.retention.audit-events} after they occurred. */
@Configuration(proxyBeanMethods = false)
class AuditRetention {

    @Bean
    RetentionTask auditEventPurge(JdbcClient jdbc, PlatformTransactionManager transactions) {
        return new PurgeFunction("audit-events", "audit events", "switchboard_purge_audit_events", jdbc, transactions);
    }
}
