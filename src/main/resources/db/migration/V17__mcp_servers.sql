-- External MCP servers an administrator registers as tool sources, per tenant. The auth header's value is
-- sealed with AES-256-GCM under switchboard.security.encryption-key (bound to tenant and id as associated data)
-- and never returned. The tool list is the server's answer to tools/list at the last refresh, shared by every
-- replica; allowed_tools names the tools personas may be given (an explicit list: a tool the server adds later
-- is offered to no one until an administrator allows it). approved_tools keeps the allowed tools' definitions as
-- they were listed when an administrator saved the server: what models are told, whatever a refresh lists later.
create table mcp_servers (
    id                 uuid primary key,
    tenant_id          uuid not null references tenants (id) on delete cascade,
    name               text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    url                text not null check (length(url) between 1 and 2000),
    transport          text not null check (transport in ('streamable-http', 'sse')),
    auth_header_name   text check (auth_header_name ~ '^[A-Za-z0-9!#$%&''*+.^_`|~-]{1,100}$'),
    auth_header_sealed bytea,
    allowed_tools      text[] not null default '{}',
    timeout_ms         integer not null check (timeout_ms between 100 and 600000),
    approved_tools     jsonb not null default '[]',
    tools              jsonb not null default '[]',
    tools_refreshed_at timestamptz not null,
    revision           bigint not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (tenant_id, name)
);

alter table mcp_servers enable row level security;
create policy tenant_isolation on mcp_servers
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on mcp_servers to switchboard_app;
