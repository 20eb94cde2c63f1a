-- Every tenant, for the job that re-seals stored secrets under the current encryption key after a rotation: it walks
-- the tenants one by one and reads each one's sealed values inside that tenant, under row-level security. Deleted
-- tenants are included: their rows stay until they are purged, and must stay readable until then.
create function switchboard_secret_reseal_tenants() returns setof uuid
    language sql stable security definer set search_path = public as $$
    select id from tenants order by id
$$;
revoke all on function switchboard_secret_reseal_tenants() from public;
grant execute on function switchboard_secret_reseal_tenants() to switchboard_app;
