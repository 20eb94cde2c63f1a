-- Tenants: the root of every tenant-owned row. Later migrations add users, keys, personas, ... each with
-- tenant_id referencing this table and row-level security on it.
create table tenants (
    id          uuid primary key default gen_random_uuid(),
    slug        text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text not null check (length(name) between 1 and 200),
    created_at  timestamptz not null default now(),
    deleted_at  timestamptz
);

comment on table tenants is 'Organisations using Switchboard; every tenant-owned row references one.';
