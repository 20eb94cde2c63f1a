-- API keys: "sb_" + 43 base62 characters (32 random bytes), shown once. Stored as a SHA-256 of the whole key
-- with a short prefix to find it; the prefix alone proves nothing.
create table api_keys (
    id            uuid primary key default gen_random_uuid(),
    tenant_id     uuid not null references tenants (id) on delete cascade,
    user_id       uuid not null references users (id) on delete cascade,
    name          text not null check (length(name) between 1 and 100),
    prefix        text not null unique,
    secret_hash   bytea not null,
    tier          text check (tier ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    scopes        text[] not null,
    expires_at    timestamptz,
    created_at    timestamptz not null default now(),
    revoked_at    timestamptz
);
create index api_keys_tenant_user_idx on api_keys (tenant_id, user_id);

alter table api_keys enable row level security;
create policy tenant_isolation on api_keys
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on api_keys to switchboard_app;

-- Authenticating a key crosses tenants: find it by prefix, with its owner's standing.
create function switchboard_api_key(p_prefix text)
    returns table (key_id uuid, tenant_id uuid, user_id uuid, secret_hash bytea, tier text, scopes text[],
                   expires_at timestamptz, revoked_at timestamptz, email text, role text, disabled boolean,
                   tenant_active boolean)
    language sql stable security definer set search_path = public
    as $$
        select k.id, k.tenant_id, k.user_id, k.secret_hash, k.tier, k.scopes, k.expires_at, k.revoked_at,
               u.email, u.role, u.disabled, t.deleted_at is null
        from api_keys k join users u on u.id = k.user_id join tenants t on t.id = k.tenant_id
        where k.prefix = p_prefix
    $$;
revoke all on function switchboard_api_key(text) from public;
grant execute on function switchboard_api_key(text) to switchboard_app;
