package dev.switchboard.knowledge.internal.ingestion;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.switchboard.knowledge.internal.KnowledgeProperties;

/**
 * Per-tenant ingestion slots in the database ({@code knowledge_ingestion_slots}), so that the limit
 * {@code max-concurrent-per-tenant} holds across replicas: a job runs only while it holds one of its tenant's slots.
 * Claims skip rows locked by concurrent claims instead of waiting; a slot is held until released or until its lease
 * (the time budget plus a minute, in the database's clock) runs out — the way a crashed replica's slots come back.
 */
@Component
class IngestionSlots {

    /** Beyond the time budget, before a dead holder's slot is taken over. */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KnowledgeProperties properties;

    IngestionSlots(JdbcClient jdbc, PlatformTransactionManager transactionManager, KnowledgeProperties properties) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
    }

    /** A slot for the document (the one it already holds, after a retry), or empty when all its tenant's are busy. */
    Optional<Integer> claim(UUID tenantId, UUID documentId) {
        int slots = properties.maxConcurrentPerTenant();
        long leaseSeconds = properties.jobTimeout().plus(LEASE_MARGIN).toSeconds();
        return transactions.execute(status -> {
            jdbc.sql("insert into knowledge_ingestion_slots (tenant_id, slot) select :tenant, s from generate_series(0, :slots - 1) s "
                    + "on conflict do nothing").param("tenant", tenantId).param("slots", slots).update();
            return jdbc.sql("update knowledge_ingestion_slots set document_id = :document, "
                    + "leased_until = now() + make_interval(secs => :lease) "
                    + "where (tenant_id, slot) = (select tenant_id, slot from knowledge_ingestion_slots "
                    + "  where tenant_id = :tenant and slot < :slots and (document_id = :document or leased_until < now()) "
                    + "  order by document_id is not distinct from :document desc, slot limit 1 for update skip locked) "
                    + "returning slot")
                    .param("document", documentId).param("lease", leaseSeconds).param("tenant", tenantId).param("slots", slots)
                    .query(Integer.class).optional();
        });
    }

    /** Whether one of the tenant's slots is free now (a tenant without slot rows yet has all of them). */
    boolean anyFree(UUID tenantId) {
        int slots = properties.maxConcurrentPerTenant();
        Integer held = jdbc.sql("select count(*) from knowledge_ingestion_slots where tenant_id = :tenant and slot < :slots "
                + "and document_id is not null and leased_until >= now()").param("tenant", tenantId).param("slots", slots)
                .query(Integer.class).single();
        return held < slots;
    }

    void release(UUID tenantId, UUID documentId) {
        transactions.executeWithoutResult(status -> jdbc.sql("update knowledge_ingestion_slots set document_id = null, "
                + "leased_until = '-infinity' where tenant_id = :tenant and document_id = :document")
                .param("tenant", tenantId).param("document", documentId).update());
    }
}
