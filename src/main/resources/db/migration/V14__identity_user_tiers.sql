-- Metering tiers belong to users, set by admins; a member's keys follow their owner's tier, and only an
-- admin's own keys may name another (issue 12, point 2). Null means switchboard.metering.default-tier.
alter table users add column tier text check (tier ~ '^[a-z0-9][a-z0-9-]{0,31}$');

-- Tiers members chose for their own keys were never theirs to choose.
update api_keys k set tier = null from users u where u.id = k.user_id and u.role <> 'ADMIN' and k.tier is not null;

drop function switchboard_principal(uuid);
create function switchboard_principal(p_user_id uuid)
    returns table (tenant_id uuid, email text, role text, disabled boolean, tenant_active boolean,
                   sessions_revoked_at timestamptz, tier text)
    language sql stable security definer set search_path = public
    as $$
        select u.tenant_id, u.email, u.role, u.disabled, t.deleted_at is null, u.sessions_revoked_at, u.tier
        from users u join tenants t on t.id = u.tenant_id
        where u.id = p_user_id
    $$;
revoke all on function switchboard_principal(uuid) from public;
grant execute on function switchboard_principal(uuid) to switchboard_app;

-- The key's tier is its own only while its owner is an admin; otherwise the owner's.
drop function switchboard_api_key(text);
create function switchboard_api_key(p_prefix text)
    returns table (key_id uuid, tenant_id uuid, user_id uuid, secret_hash bytea, tier text, scopes text[],
                   expires_at timestamptz, revoked_at timestamptz, email text, role text, disabled boolean,
                   tenant_active boolean, user_tier text)
    language sql stable security definer set search_path = public
    as $$
        select k.id, k.tenant_id, k.user_id, k.secret_hash,
               case when u.role = 'ADMIN' then coalesce(k.tier, u.tier) else u.tier end,
               k.scopes, k.expires_at, k.revoked_at, u.email, u.role, u.disabled, t.deleted_at is null, u.tier
        from api_keys k join users u on u.id = k.user_id join tenants t on t.id = k.tenant_id
        where k.prefix = p_prefix
    $$;
revoke all on function switchboard_api_key(text) from public;
grant execute on function switchboard_api_key(text) to switchboard_app;
