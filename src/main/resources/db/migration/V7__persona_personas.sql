-- Personas: what an agent is (instructions, chain, knowledge, tools) and who may use it. Every change makes
-- a new version; persona_versions keeps each one as it was, so a session can say which version answered.
create table personas (
    id                 uuid primary key default gen_random_uuid(),
    tenant_id          uuid not null references tenants (id) on delete cascade,
    slug               text not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name               text not null check (length(name) between 1 and 100),
    description        text not null default '' check (length(description) <= 2000),
    instructions       text not null default '' check (length(instructions) <= 50000),
    chain              text check (length(chain) <= 2000),
    temperature        double precision check (temperature between 0 and 2),
    max_tokens         integer check (max_tokens between 1 and 200000),
    knowledge_base_ids uuid[] not null default '{}',
    allowed_tools      text[] not null default '{}',
    members_allowed    boolean not null default true,
    version            integer not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    deleted_at         timestamptz
);
-- A slug is unique among a tenant's live personas; a deleted persona's slug may be reused.
create unique index personas_tenant_slug_idx on personas (tenant_id, slug) where deleted_at is null;

create table persona_versions (
    tenant_id   uuid not null references tenants (id) on delete cascade,
    persona_id  uuid not null references personas (id) on delete cascade,
    version     integer not null,
    snapshot    jsonb not null,
    created_at  timestamptz not null default now(),
    primary key (persona_id, version)
);

alter table personas enable row level security;
create policy tenant_isolation on personas
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update on personas to switchboard_app;

alter table persona_versions enable row level security;
create policy tenant_isolation on persona_versions
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert on persona_versions to switchboard_app;
