-- Knowledge: which embedding model the index serves, and the re-index that moves it to another one.
-- One row per deployment. Not tenant data (like scheduled_tasks): no tenant_id and no row-level security; it
-- holds model names and counters only, never a tenant's text.
create table knowledge_index_state (
    id                 boolean primary key default true check (id),
    -- The model every indexed chunk's vector was made by (null: not recorded yet — a new index, or one
    -- written before models were recorded).
    model              text,
    dimension          integer,
    provider           text,
    -- While re-indexing: the model the chunks are being moved to, and how far the move got.
    target_model       text,
    target_provider    text,
    cursor_tenant      uuid,
    cursor_document    uuid,
    cursor_ordinal     integer,
    chunks_done        bigint not null default 0,
    chunks_total       bigint not null default 0,
    started_at         timestamptz,
    finished_at        timestamptz,
    updated_at         timestamptz not null default now()
);
insert into knowledge_index_state (id) values (true);
grant select, update on knowledge_index_state to switchboard_app;

-- The tenants with indexed chunks not embedded by p_model, in order: the re-index walks them one by one (the
-- chunks themselves are read inside each tenant, under row-level security).
create function switchboard_knowledge_reindex_tenants(p_model text) returns setof uuid
    language sql stable security definer set search_path = public as $$
    select distinct d.tenant_id from knowledge_documents d
    where d.status = 'indexed' and d.embedding_model is distinct from p_model
      and exists (select 1 from knowledge_chunks c where c.document_id = d.id)
    order by d.tenant_id
$$;
revoke all on function switchboard_knowledge_reindex_tenants(text) from public;
grant execute on function switchboard_knowledge_reindex_tenants(text) to switchboard_app;

-- How many chunks a re-index to p_model has to embed (its progress total).
create function switchboard_knowledge_reindex_chunks(p_model text) returns bigint
    language sql stable security definer set search_path = public as $$
    select count(*) from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
    where d.status = 'indexed' and d.embedding_model is distinct from p_model
$$;
revoke all on function switchboard_knowledge_reindex_chunks(text) from public;
grant execute on function switchboard_knowledge_reindex_chunks(text) to switchboard_app;

-- Whether any chunk exists at all (an index written before models were recorded must be re-indexed).
create function switchboard_knowledge_has_chunks() returns boolean
    language sql stable security definer set search_path = public as $$
    select exists (select 1 from knowledge_chunks)
$$;
revoke all on function switchboard_knowledge_has_chunks() from public;
grant execute on function switchboard_knowledge_has_chunks() to switchboard_app;

-- Forgets which model embedded each document, for an index whose vectors are in a field no model is named
-- by (written before models were recorded): every document is then re-embedded — indexed ones by the
-- re-index, ones still being ingested from their first chunk.
create function switchboard_knowledge_forget_models() returns integer
    language sql volatile security definer set search_path = public as $$
    with forgotten as (update knowledge_documents set embedding_model = null where embedding_model is not null returning 1)
    select count(*)::integer from forgotten
$$;
revoke all on function switchboard_knowledge_forget_models() from public;
grant execute on function switchboard_knowledge_forget_models() to switchboard_app;
