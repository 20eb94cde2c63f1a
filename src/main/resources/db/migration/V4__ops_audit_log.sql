-- The audit log: who did what to identities and access, when, from where. Rows of a tenant are visible to
-- that tenant (its admins read them through GET /api/audit); failed sign-ins for unknown e-mail addresses
-- belong to no tenant and are visible to operators only (as the schema owner).
create table audit_events (
    id           bigint generated always as identity primary key,
    tenant_id    uuid references tenants (id) on delete cascade,
    occurred_at  timestamptz not null default now(),
    action       text not null,
    actor_id     uuid,
    actor_email  text,
    address      text,
    subject_id   uuid,
    details      jsonb not null default '{}'
);
create index audit_events_tenant_time_idx on audit_events (tenant_id, occurred_at desc, id desc);

alter table audit_events enable row level security;
create policy tenant_isolation on audit_events
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id is not distinct from switchboard_current_tenant());
grant select, insert on audit_events to switchboard_app;
