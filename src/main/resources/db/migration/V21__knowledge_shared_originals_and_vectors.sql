-- Knowledge for any number of replicas on one database (issue 17): the originals move from one replica's disk into
-- the database, and the chunk rows carry their vectors, so that every replica's local index can follow the database
-- without embedding anything again.

-- Originals, by content per tenant (as they were on disk: <tenant>/<sha256>), in parts of at most 1 MiB so that
-- neither writing nor reading one holds a whole file in memory. A row in knowledge_originals exists only with all
-- of its parts (both are written in one transaction).
create table knowledge_originals (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    sha256      text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes  bigint not null check (size_bytes >= 0),
    created_at  timestamptz not null default now(),
    primary key (tenant_id, sha256)
);

create table knowledge_original_parts (
    tenant_id  uuid not null,
    sha256     text not null,
    part       integer not null check (part >= 0),
    bytes      bytea not null,
    primary key (tenant_id, sha256, part),
    foreign key (tenant_id, sha256) references knowledge_originals (tenant_id, sha256) on delete cascade
);
-- Uploads are mostly compressed already (PDF, DOCX, XLSX): stored out of line without another compression pass.
alter table knowledge_original_parts alter column bytes set storage external;

alter table knowledge_originals enable row level security;
create policy tenant_isolation on knowledge_originals
    using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
grant select, insert, delete on knowledge_originals to switchboard_app;

alter table knowledge_original_parts enable row level security;
create policy tenant_isolation on knowledge_original_parts
    using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
grant select, insert, delete on knowledge_original_parts to switchboard_app;

-- Each chunk's vector (float4 values, little-endian, L2-normalised) and the model that made it: the source of truth
-- a replica's Lucene index is rebuilt and kept current from. changed_xid is the transaction that last wrote the row
-- (set on insert and, by the trigger below, on every update): a follower reads the rows of the transactions that
-- finished since its last look.
alter table knowledge_chunks
    add column embedding_model text,
    add column embedding bytea,
    add column changed_xid xid8 not null default pg_current_xact_id();
create index knowledge_chunks_changed_xid_idx on knowledge_chunks (changed_xid);

create function switchboard_knowledge_chunk_changed() returns trigger language plpgsql as $$
begin
    new.changed_xid := pg_current_xact_id();
    return new;
end
$$;
create trigger knowledge_chunks_changed before update on knowledge_chunks
    for each row execute function switchboard_knowledge_chunk_changed();

-- Which documents lost chunk rows, and in which transaction (a deletion of the document or its knowledge base or
-- tenant, or a failed ingestion): followers remove those documents from their index. Ids only, no tenant text; like
-- knowledge_ingestion_slots, no row-level security, and written only by the trigger.
create table knowledge_index_tombstones (
    id           bigint generated always as identity primary key,
    tenant_id    uuid not null,
    document_id  uuid not null,
    deleted_xid  xid8 not null default pg_current_xact_id(),
    created_at   timestamptz not null default now()
);
create index knowledge_index_tombstones_xid_idx on knowledge_index_tombstones (deleted_xid);
grant select on knowledge_index_tombstones to switchboard_app;

create function switchboard_knowledge_chunks_deleted() returns trigger
    language plpgsql security definer set search_path = public as $$
begin
    insert into knowledge_index_tombstones (tenant_id, document_id)
        select distinct tenant_id, document_id from gone;
    return null;
end
$$;
create trigger knowledge_chunks_deleted after delete on knowledge_chunks
    referencing old table as gone for each statement execute function switchboard_knowledge_chunks_deleted();

-- The tenants with chunk rows written or deleted by transactions in [p_from, p_to): a follower then reads each
-- tenant's changes under row-level security. Ids only.
create function switchboard_knowledge_changed_tenants(p_from xid8, p_to xid8) returns setof uuid
    language sql stable security definer set search_path = public as $$
    select tenant_id from knowledge_chunks where changed_xid >= p_from and changed_xid < p_to
    union
    select tenant_id from knowledge_index_tombstones where deleted_xid >= p_from and deleted_xid < p_to
$$;
revoke all on function switchboard_knowledge_changed_tenants(xid8, xid8) from public;
grant execute on function switchboard_knowledge_changed_tenants(xid8, xid8) to switchboard_app;

-- Every tenant with chunk rows: a replica whose index is new reads them all.
create function switchboard_knowledge_chunk_tenants() returns setof uuid
    language sql stable security definer set search_path = public as $$
    select distinct tenant_id from knowledge_chunks order by tenant_id
$$;
revoke all on function switchboard_knowledge_chunk_tenants() from public;
grant execute on function switchboard_knowledge_chunk_tenants() to switchboard_app;

-- Which database a replica's index follows: an index left from another database (a restore into a new server, a
-- volume moved) is rebuilt rather than continued from a position that means nothing here.
alter table knowledge_index_state add column follow_epoch uuid not null default gen_random_uuid();

-- Chunks written before this migration have no vector in the database. Forgetting the recorded model (and any
-- re-index under way) makes the next start re-embed every document once, as after a model change, which stores
-- their vectors; documents still being ingested start over from their first chunk for the same reason.
update knowledge_index_state set model = null, target_model = null, target_provider = null, cursor_tenant = null,
    cursor_document = null, cursor_ordinal = null, chunks_done = 0, chunks_total = 0
    where exists (select 1 from knowledge_chunks);
update knowledge_documents set embedding_model = null where embedding_model is not null;
