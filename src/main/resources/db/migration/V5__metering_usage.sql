-- Usage: requests and LLM tokens per tenant, user, key, endpoint, status and minute. Counted in memory and
-- added here every few seconds (upsert), so a busy API costs one write per counter per flush, not per request.
create table usage_records (
    tenant_id    uuid not null references tenants (id) on delete cascade,
    user_id      uuid not null,
    api_key_id   uuid not null default '00000000-0000-0000-0000-000000000000',
    endpoint     text not null,
    status       int not null,
    minute       timestamptz not null,
    requests     bigint not null default 0,
    tokens_in    bigint not null default 0,
    tokens_out   bigint not null default 0,
    primary key (tenant_id, minute, user_id, api_key_id, endpoint, status)
);
create index usage_records_key_idx on usage_records (tenant_id, api_key_id, minute);

alter table usage_records enable row level security;
create policy tenant_isolation on usage_records
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update on usage_records to switchboard_app;
