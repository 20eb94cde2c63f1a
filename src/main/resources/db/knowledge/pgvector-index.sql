-- The pgvector chunk index (PgVectorChunkIndex): applied by PgVectorSchema after every Flyway migration when the
-- vector extension is installed, never by a versioned migration (the same migrations must run on a PostgreSQL
-- without the extension). Idempotent.
--
-- One row per chunk, self-contained like a Lucene document (the index is written before knowledge_chunks, and
-- searched without joins): text for full-text search (an English tsvector), the embedding in an unconstrained
-- vector column with the model that made it and its dimension. No foreign keys: like the Lucene index, rows go
-- with ChunkIndex.deleteDocument.
create table if not exists knowledge_chunk_index (
    chunk_id           uuid primary key,
    tenant_id          uuid not null,
    knowledge_base_id  uuid not null,
    document_id        uuid not null,
    document_name      text not null default '',
    ordinal            integer not null,
    location           text not null default '',
    text               text not null,
    terms              tsvector generated always as (to_tsvector('english', text)) stored,
    model              text not null check (length(model) between 1 and 200),
    dimensions         integer not null check (dimensions between 1 and 16000),
    embedding          vector not null,
    check (vector_dims(embedding) = dimensions)
);
create index if not exists knowledge_chunk_index_scope_idx on knowledge_chunk_index (tenant_id, knowledge_base_id, model, dimensions);
create index if not exists knowledge_chunk_index_document_idx on knowledge_chunk_index (tenant_id, document_id);
create index if not exists knowledge_chunk_index_terms_idx on knowledge_chunk_index using gin (terms);

alter table knowledge_chunk_index enable row level security;
do $$
begin
    if not exists (select 1 from pg_policies where tablename = 'knowledge_chunk_index' and policyname = 'tenant_isolation') then
        create policy tenant_isolation on knowledge_chunk_index
            using (tenant_id = switchboard_current_tenant()) with check (tenant_id = switchboard_current_tenant());
    end if;
end
$$;
grant select, insert, update, delete on knowledge_chunk_index to switchboard_app;

-- The HNSW index of one model's vectors: a partial index over the rows of that model, on the column cast to the
-- model's dimension (an HNSW index needs one dimension; the column holds every model's). Inner product on unit
-- vectors is their cosine. Created the first time the application writes a model's vectors; the application's role
-- owns nothing and cannot create indexes, hence SECURITY DEFINER (it creates this one kind of index and nothing
-- else). Above 2,000 dimensions pgvector has no HNSW for vector: those models are searched exactly (null returned).
create or replace function switchboard_knowledge_vector_index(p_model text, p_dimensions integer) returns text
    language plpgsql volatile security definer set search_path = public
as $$
declare
    index_name text := 'knowledge_chunk_index_hnsw_' || substr(md5(p_model || '/' || p_dimensions), 1, 20);
begin
    if p_model is null or length(p_model) not between 1 and 200 or p_dimensions is null or p_dimensions < 1 then
        raise exception 'invalid model % or dimension %', p_model, p_dimensions;
    end if;
    if p_dimensions > 2000 then
        return null;
    end if;
    if to_regclass(index_name) is null then
        -- Two replicas seeing a new model at once: one builds, the other waits and finds it built.
        perform pg_advisory_xact_lock(hashtext(index_name));
        execute format('create index if not exists %I on knowledge_chunk_index using hnsw ((embedding::vector(%s)) vector_ip_ops) '
                || 'with (m = 16, ef_construction = 64) where model = %L and dimensions = %s',
                index_name, p_dimensions, p_model, p_dimensions);
    end if;
    return index_name;
end
$$;
revoke all on function switchboard_knowledge_vector_index(text, integer) from public;
grant execute on function switchboard_knowledge_vector_index(text, integer) to switchboard_app;

-- The end of a re-index (ChunkIndex.deleteChunksNotEmbeddedBy): every tenant's chunks whose vector another model made
-- go. Across tenants, hence SECURITY DEFINER; it deletes nothing else and returns how many it deleted.
create or replace function switchboard_knowledge_delete_chunks_not_embedded_by(p_model text) returns bigint
    language sql volatile security definer set search_path = public
as $$
    with gone as (delete from knowledge_chunk_index where model <> p_model returning 1) select count(*) from gone
$$;
revoke all on function switchboard_knowledge_delete_chunks_not_embedded_by(text) from public;
grant execute on function switchboard_knowledge_delete_chunks_not_embedded_by(text) to switchboard_app;

-- Whether the index holds no chunk of any tenant (ChunkIndex.isEmpty: an index chosen after documents were ingested
-- into another is rebuilt from knowledge_chunks). Across tenants, hence SECURITY DEFINER; it tells one boolean.
create or replace function switchboard_knowledge_index_is_empty() returns boolean
    language sql stable security definer set search_path = public
as $$
    select not exists (select 1 from knowledge_chunk_index)
$$;
revoke all on function switchboard_knowledge_index_is_empty() from public;
grant execute on function switchboard_knowledge_index_is_empty() to switchboard_app;
