-- Providers an administrator registers at run time, per tenant. The key is sealed with AES-256-GCM under
-- switchboard.security.encryption-key (bound to tenant and id as associated data) and never returned.
create table llm_providers (
    tenant_id          uuid not null references tenants (id) on delete cascade,
    id                 text not null check (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    kind               text not null check (kind in ('openai', 'anthropic', 'gemini', 'ollama')),
    base_url           text not null check (length(base_url) between 1 and 2000),
    api_key_sealed     bytea,
    models             jsonb not null default '[]',
    connect_timeout_ms integer not null check (connect_timeout_ms > 0),
    first_token_timeout_ms integer not null check (first_token_timeout_ms > 0),
    total_timeout_ms   integer not null check (total_timeout_ms > 0),
    max_retries        integer not null check (max_retries between 0 and 5),
    revision           bigint not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    primary key (tenant_id, id)
);

alter table llm_providers enable row level security;
create policy tenant_isolation on llm_providers
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on llm_providers to switchboard_app;
