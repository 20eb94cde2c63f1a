-- The admin console's audit log and usage pages (issue 16).
--
-- Audit filters: GET /api/audit pages newest first by id, optionally by action or actor address. Each has an index
-- led by the tenant (row-level security adds tenant_id = current tenant to every query), so a page of a log of
-- 10,000+ rows reads only the page's rows, filtered or not. Time ranges ride on the id order (ids grow with time).
create index audit_events_tenant_id_idx on audit_events (tenant_id, id desc);
create index audit_events_tenant_action_idx on audit_events (tenant_id, action, id desc);
create index audit_events_tenant_actor_idx on audit_events (tenant_id, lower(actor_email), id desc);

-- Usage per persona: chat turns and their tokens per tenant, persona and minute, counted in memory and added every
-- few seconds like usage_records (GET /api/usage?groupBy=persona).
create table usage_persona_records (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    persona_id  uuid not null,
    minute      timestamptz not null,
    turns       bigint not null default 0,
    failed      bigint not null default 0,
    tokens_in   bigint not null default 0,
    tokens_out  bigint not null default 0,
    primary key (tenant_id, minute, persona_id)
);
create index usage_persona_records_minute_idx on usage_persona_records (minute);

alter table usage_persona_records enable row level security;
create policy tenant_isolation on usage_persona_records
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update on usage_persona_records to switchboard_app;

-- Retention (switchboard.retention.usage) covers the persona rows too: the purge takes a batch of each.
create or replace function switchboard_purge_usage_records(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
        purged_personas integer;
    begin
        with batch as (
            select ctid from usage_records
            where minute < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from usage_records u using batch where u.ctid = batch.ctid;
        get diagnostics purged = row_count;
        with batch as (
            select ctid from usage_persona_records
            where minute < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from usage_persona_records u using batch where u.ctid = batch.ctid;
        get diagnostics purged_personas = row_count;
        return purged + purged_personas;
    end
    $$;
