-- The OAuth 2.1 authorization server of MCP remote connectors (Spring Security's JDBC repositories): registered
-- clients, authorizations (codes, access and refresh tokens of a user and a client) and consents. The columns are
-- Spring Security's schemas with PostgreSQL types (text for blob, timestamptz for timestamp).
--
-- Row-level security. Clients are global: a client registers (RFC 7591) before anyone has signed in, and any
-- tenant's user may authorize it, so oauth2_registered_client has no tenant. Authorizations and consents belong to
-- a user, hence a tenant, but the authorization server finds them before any tenant is known — at the token
-- endpoint a client presents only a code or a refresh token — so a tenant policy would hide every row from it.
-- They carry no tenant policy; instead: tokens and codes are stored as SHA-256 hashes (a presented value is
-- hashed to find its row; a read of the table yields nothing that authenticates), the authorization server never
-- lists rows, user_id and tenant_id are derived here from the principal (not from what the application says) and
-- cascade their deletion, and every access token is checked against the user's current state on each request.
-- Any future tenant-facing listing ("connected apps") must go through a function that filters by tenant.

create table oauth2_registered_client (
    id                            varchar(100) primary key,
    client_id                     varchar(100) not null unique,
    client_id_issued_at           timestamptz not null default now(),
    client_secret                 varchar(200),
    client_secret_expires_at      timestamptz,
    client_name                   varchar(200) not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types     varchar(1000) not null,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(1000) not null,
    client_settings               varchar(2000) not null,
    token_settings                varchar(2000) not null
);
create index oauth2_registered_client_issued_idx on oauth2_registered_client (client_id_issued_at);

create table oauth2_authorization (
    id                            varchar(100) primary key,
    registered_client_id          varchar(100) not null references oauth2_registered_client (id) on delete cascade,
    principal_name                varchar(200) not null,
    authorization_grant_type      varchar(100) not null,
    authorized_scopes             varchar(1000),
    attributes                    text,
    state                         varchar(500),
    authorization_code_value      text,
    authorization_code_issued_at  timestamptz,
    authorization_code_expires_at timestamptz,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamptz,
    access_token_expires_at       timestamptz,
    access_token_metadata         text,
    access_token_type             varchar(100),
    access_token_scopes           varchar(1000),
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamptz,
    oidc_id_token_expires_at      timestamptz,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamptz,
    refresh_token_expires_at      timestamptz,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamptz,
    user_code_expires_at          timestamptz,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamptz,
    device_code_expires_at        timestamptz,
    device_code_metadata          text,
    -- Derived from principal_name (a user id) by the trigger below: deleting the user or the tenant deletes these.
    user_id                       uuid references users (id) on delete cascade,
    tenant_id                     uuid references tenants (id) on delete cascade,
    created_at                    timestamptz not null default now()
);
create index oauth2_authorization_state_idx on oauth2_authorization (state);
create index oauth2_authorization_code_idx on oauth2_authorization (authorization_code_value);
create index oauth2_authorization_access_idx on oauth2_authorization (access_token_value);
create index oauth2_authorization_refresh_idx on oauth2_authorization (refresh_token_value);
create index oauth2_authorization_client_idx on oauth2_authorization (registered_client_id);
create index oauth2_authorization_user_idx on oauth2_authorization (user_id);

create table oauth2_authorization_consent (
    registered_client_id varchar(100) not null references oauth2_registered_client (id) on delete cascade,
    principal_name       varchar(200) not null,
    authorities          varchar(1000) not null,
    user_id              uuid references users (id) on delete cascade,
    tenant_id            uuid references tenants (id) on delete cascade,
    primary key (registered_client_id, principal_name)
);

-- The principal of every authorization is a user id; its user and tenant are looked up across tenants (the
-- application's role sees no user row without a tenant setting). A principal that is no user is refused.
create function switchboard_oauth_owner() returns trigger
    language plpgsql security definer set search_path = public as $$
    begin
        new.user_id := new.principal_name::uuid;
        select tenant_id into new.tenant_id from users where id = new.user_id;
        if new.tenant_id is null then
            raise exception 'OAuth principal % is no user', new.principal_name;
        end if;
        return new;
    end
    $$;
revoke all on function switchboard_oauth_owner() from public;

create trigger oauth2_authorization_owner before insert or update of principal_name on oauth2_authorization
    for each row execute function switchboard_oauth_owner();
create trigger oauth2_authorization_consent_owner before insert or update of principal_name on oauth2_authorization_consent
    for each row execute function switchboard_oauth_owner();

grant select, insert, update, delete on oauth2_registered_client, oauth2_authorization, oauth2_authorization_consent
    to switchboard_app;

-- Retention: an authorization is purged once nothing in it can be used any more (its refresh token, or failing
-- that its access token and code, expired before p_cutoff); a client nobody authorized within p_cutoff of its
-- registration is purged too (open registration must not grow the table without end).
create function switchboard_purge_oauth_authorizations(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select id from oauth2_authorization
            where coalesce(refresh_token_expires_at, access_token_expires_at, authorization_code_expires_at, created_at)
                  < p_cutoff
              and coalesce(access_token_expires_at, created_at) < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from oauth2_authorization a using batch where a.id = batch.id;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;

create function switchboard_purge_oauth_clients(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select c.id from oauth2_registered_client c
            where c.client_id_issued_at < p_cutoff
              and not exists (select 1 from oauth2_authorization a where a.registered_client_id = c.id)
              and not exists (select 1 from oauth2_authorization_consent g where g.registered_client_id = c.id)
            limit p_batch
            for update skip locked
        )
        delete from oauth2_registered_client c using batch where c.id = batch.id;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;
revoke all on function switchboard_purge_oauth_authorizations(timestamptz, integer),
    switchboard_purge_oauth_clients(timestamptz, integer) from public;
grant execute on function switchboard_purge_oauth_authorizations(timestamptz, integer),
    switchboard_purge_oauth_clients(timestamptz, integer) to switchboard_app;
