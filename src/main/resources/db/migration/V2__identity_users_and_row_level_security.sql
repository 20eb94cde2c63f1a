-- Identity: users and refresh tokens, and the row-level security that isolates tenants.
--
-- The application works through the role switchboard_app, which owns nothing: every pooled connection
-- runs "set role switchboard_app" (spring.datasource.hikari.connection-init-sql) and every transaction sets
-- switchboard.tenant_id. Without that setting a query sees no tenant-owned row at all. Migrations run as the
-- owner. The few lookups that must cross tenants (login by e-mail, a refresh token by its hash, the
-- principal behind a token, "is there any user yet") are SECURITY DEFINER functions below, and nothing else.

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'switchboard_app') then
        create role switchboard_app nologin;
    end if;
end
$$;
grant switchboard_app to current_user;
grant usage on schema public to switchboard_app;

create function switchboard_current_tenant() returns uuid
    language sql stable
    as $$ select nullif(current_setting('switchboard.tenant_id', true), '')::uuid $$;

-- Tenants see their own row only.
alter table tenants enable row level security;
create policy tenant_self on tenants
    using (id = switchboard_current_tenant())
    with check (id = switchboard_current_tenant());
grant select, insert, update on tenants to switchboard_app;

create table users (
    id             uuid primary key default gen_random_uuid(),
    tenant_id      uuid not null references tenants (id) on delete cascade,
    email          text not null check (length(email) between 3 and 320),
    password_hash  text not null,
    role           text not null check (role in ('ADMIN', 'MEMBER')),
    disabled       boolean not null default false,
    -- Access tokens issued before this instant are refused (logout, disabling, password change).
    sessions_revoked_at timestamptz,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now()
);
-- E-mail addresses are unique across tenants: login needs no tenant name.
create unique index users_email_key on users (lower(email));
create index users_tenant_idx on users (tenant_id);

alter table users enable row level security;
create policy tenant_isolation on users
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on users to switchboard_app;

create table refresh_tokens (
    id           uuid primary key default gen_random_uuid(),
    tenant_id    uuid not null references tenants (id) on delete cascade,
    user_id      uuid not null references users (id) on delete cascade,
    family_id    uuid not null,
    token_hash   bytea not null unique,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    used_at      timestamptz,
    revoked_at   timestamptz
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

alter table refresh_tokens enable row level security;
create policy tenant_isolation on refresh_tokens
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update, delete on refresh_tokens to switchboard_app;

-- Cross-tenant lookups, each returning only what its caller needs.

create function switchboard_any_user_exists() returns boolean
    language sql stable security definer set search_path = public
    as $$ select exists (select 1 from users) $$;

create function switchboard_login_candidate(p_email text)
    returns table (user_id uuid, tenant_id uuid, password_hash text, role text, disabled boolean, tenant_active boolean)
    language sql stable security definer set search_path = public
    as $$
        select u.id, u.tenant_id, u.password_hash, u.role, u.disabled, t.deleted_at is null
        from users u join tenants t on t.id = u.tenant_id
        where lower(u.email) = lower(p_email)
    $$;

create function switchboard_principal(p_user_id uuid)
    returns table (tenant_id uuid, email text, role text, disabled boolean, tenant_active boolean,
                   sessions_revoked_at timestamptz)
    language sql stable security definer set search_path = public
    as $$
        select u.tenant_id, u.email, u.role, u.disabled, t.deleted_at is null, u.sessions_revoked_at
        from users u join tenants t on t.id = u.tenant_id
        where u.id = p_user_id
    $$;

create function switchboard_refresh_token_tenant(p_token_hash bytea) returns uuid
    language sql stable security definer set search_path = public
    as $$ select tenant_id from refresh_tokens where token_hash = p_token_hash $$;

create function switchboard_tenant_slug_taken(p_slug text) returns boolean
    language sql stable security definer set search_path = public
    as $$ select exists (select 1 from tenants where slug = p_slug) $$;

revoke all on function switchboard_any_user_exists(), switchboard_login_candidate(text), switchboard_principal(uuid),
    switchboard_refresh_token_tenant(bytea), switchboard_tenant_slug_taken(text) from public;
grant execute on function switchboard_current_tenant(), switchboard_any_user_exists(), switchboard_login_candidate(text),
    switchboard_principal(uuid), switchboard_refresh_token_tenant(bytea), switchboard_tenant_slug_taken(text)
    to switchboard_app;
