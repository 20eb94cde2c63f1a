-- Knowledge: bases, documents (originals stored under the data directory by SHA-256) and their chunks. The
-- chunk rows are the record of what the index holds (the Lucene index can be rebuilt from them).
create table knowledge_bases (
    id           uuid primary key default gen_random_uuid(),
    tenant_id    uuid not null references tenants (id) on delete cascade,
    name         text not null check (length(name) between 1 and 100),
    description  text not null default '' check (length(description) <= 2000),
    created_at   timestamptz not null default now()
);
create unique index knowledge_bases_tenant_name_idx on knowledge_bases (tenant_id, lower(name));

create table knowledge_documents (
    id                 uuid primary key default gen_random_uuid(),
    tenant_id          uuid not null references tenants (id) on delete cascade,
    knowledge_base_id  uuid not null references knowledge_bases (id) on delete cascade,
    name               text not null check (length(name) between 1 and 255),
    media_type         text not null,
    size_bytes         bigint not null,
    sha256             text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    status             text not null check (status in ('queued', 'parsing', 'embedding', 'indexed', 'failed')),
    chunks_total       integer,
    chunks_done        integer not null default 0,
    error              text,
    embedding_model    text,
    attempts           integer not null default 0,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
-- An identical upload into the same knowledge base is the same document.
create unique index knowledge_documents_kb_sha_idx on knowledge_documents (knowledge_base_id, sha256);
create index knowledge_documents_tenant_kb_idx on knowledge_documents (tenant_id, knowledge_base_id, created_at desc);

create table knowledge_chunks (
    id           uuid primary key,
    tenant_id    uuid not null references tenants (id) on delete cascade,
    document_id  uuid not null references knowledge_documents (id) on delete cascade,
    ordinal      integer not null,
    location     text not null default '',
    text         text not null,
    unique (document_id, ordinal)
);

alter table knowledge_bases enable row level security;
create policy tenant_isolation on knowledge_bases
    using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on knowledge_bases to switchboard_app;

alter table knowledge_documents enable row level security;
create policy tenant_isolation on knowledge_documents
    using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on knowledge_documents to switchboard_app;

alter table knowledge_chunks enable row level security;
create policy tenant_isolation on knowledge_chunks
    using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on knowledge_chunks to switchboard_app;

-- db-scheduler's table (its PostgreSQL schema, version 16): persistent background jobs such as ingestion.
-- Not tenant data: each task carries its tenant in its data and runs inside it.
create table scheduled_tasks (
    task_name            text not null,
    task_instance        text not null,
    task_data            bytea,
    execution_time       timestamptz not null,
    picked               boolean not null,
    picked_by            text,
    last_success         timestamptz,
    last_failure         timestamptz,
    consecutive_failures integer,
    last_heartbeat       timestamptz,
    version              bigint not null,
    priority             smallint,
    primary key (task_name, task_instance)
);
create index scheduled_tasks_execution_time_idx on scheduled_tasks (execution_time);
create index scheduled_tasks_last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index scheduled_tasks_priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
grant select, insert, update, delete on scheduled_tasks to switchboard_app;
