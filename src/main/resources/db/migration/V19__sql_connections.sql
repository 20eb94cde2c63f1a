-- Databases an administrator registers for text-to-SQL, per tenant. The password is sealed with AES-256-GCM
-- under switchboard.security.encryption-key (bound to tenant and id as associated data) and never returned.
-- allowed_tables is the list of TableAccess (table, readable columns, masked columns) questions may read; the
-- share columns name who besides administrators may ask on the connection. revision grows on every change, so
-- each replica's pool for an older revision is left to idle out.
create table sql_connections (
    id                   uuid primary key,
    tenant_id            uuid not null references tenants (id) on delete cascade,
    name                 text not null check (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    description          text not null default '' check (length(description) <= 2000),
    kind                 text not null check (kind in ('postgresql', 'mysql', 'mariadb')),
    host                 text not null check (length(host) between 1 and 253),
    port                 integer not null check (port between 1 and 65535),
    database_name        text not null check (length(database_name) between 1 and 128),
    username             text not null check (length(username) between 1 and 128),
    password_sealed      bytea,
    tls_mode             text not null check (tls_mode in ('disable', 'require', 'verify-full')),
    allowed_tables       jsonb not null,
    max_rows             integer not null check (max_rows > 0),
    statement_timeout_ms integer not null check (statement_timeout_ms > 0),
    shared_roles         text[] not null default '{}',
    shared_user_ids      uuid[] not null default '{}',
    revision             bigint not null default 1,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    unique (tenant_id, name)
);

alter table sql_connections enable row level security;
create policy tenant_isolation on sql_connections
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on sql_connections to switchboard_app;

-- The schema catalogue of a connection's allowed tables as the database's own catalogue described them at the
-- last read (on save and on refresh): shared by every replica, so asking never waits for a catalogue read.
create table sql_schema_catalogs (
    connection_id uuid primary key references sql_connections (id) on delete cascade,
    tenant_id     uuid not null references tenants (id) on delete cascade,
    catalog       jsonb not null,
    read_at       timestamptz not null
);

alter table sql_schema_catalogs enable row level security;
create policy tenant_isolation on sql_schema_catalogs
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on sql_schema_catalogs to switchboard_app;
