-- Ingestion slots: at most switchboard.knowledge.max-concurrent-per-tenant documents of one tenant are ingested at
-- the same time, across every replica. A job claims a free slot of its tenant (skip-locked, so concurrent claims
-- never wait on each other) before it runs, and frees it when it ends; a slot whose holder died frees itself when
-- its lease (the job's time budget and a margin, in the database's clock) runs out.
-- Not tenant data (no document content, only which document holds which slot); like scheduled_tasks, no row-level
-- security: the claim runs before the job has entered its tenant.
create table knowledge_ingestion_slots (
    tenant_id     uuid not null references tenants (id) on delete cascade,
    slot          integer not null check (slot >= 0),
    document_id   uuid,
    leased_until  timestamptz not null default '-infinity',
    primary key (tenant_id, slot)
);
grant select, insert, update, delete on knowledge_ingestion_slots to switchboard_app;
