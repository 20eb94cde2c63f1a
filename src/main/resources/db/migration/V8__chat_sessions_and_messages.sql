-- Chat sessions and their history. Messages are append-only: the application role may insert and read
-- them, never update them (a trigger refuses it even for the owner); they leave only with their session,
-- when the retention job purges expired sessions.
create table chat_sessions (
    id                uuid primary key default gen_random_uuid(),
    tenant_id         uuid not null references tenants (id) on delete cascade,
    user_id           uuid not null references users (id) on delete cascade,
    persona_id        uuid not null references personas (id),
    title             text not null default '' check (length(title) <= 200),
    -- A running summary of the turns that no longer fit the model's window (derived data, not history).
    summary           text,
    summary_through   bigint not null default 0,
    created_at        timestamptz not null default now(),
    last_activity_at  timestamptz not null default now(),
    expires_at        timestamptz not null,
    deleted_at        timestamptz
);
create index chat_sessions_user_idx on chat_sessions (tenant_id, user_id, last_activity_at desc) where deleted_at is null;
create index chat_sessions_expiry_idx on chat_sessions (expires_at);

create table chat_messages (
    id               uuid primary key default gen_random_uuid(),
    tenant_id        uuid not null references tenants (id) on delete cascade,
    session_id       uuid not null references chat_sessions (id) on delete cascade,
    seq              bigint not null,
    role             text not null check (role in ('user', 'assistant', 'tool')),
    content          text not null,
    -- complete; incomplete (a stream that broke after its first token); failed (no answer: error says why)
    status           text not null default 'complete' check (status in ('complete', 'incomplete', 'failed')),
    error            text,
    persona_version  integer,
    target           text,
    failover         boolean,
    tokens_in        integer,
    tokens_out       integer,
    latency_ms       integer,
    citations        jsonb not null default '[]',
    attempts         jsonb,
    created_at       timestamptz not null default now(),
    unique (session_id, seq)
);

create function switchboard_refuse_message_update() returns trigger
    language plpgsql as $$
    begin
        raise exception 'chat messages are append-only';
    end
    $$;
create trigger chat_messages_append_only before update on chat_messages
    for each row execute function switchboard_refuse_message_update();

alter table chat_sessions enable row level security;
create policy tenant_isolation on chat_sessions
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update on chat_sessions to switchboard_app;

alter table chat_messages enable row level security;
create policy tenant_isolation on chat_messages
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert on chat_messages to switchboard_app;

-- Retention crosses tenants: one batch of sessions that expired before the cutoff, or that their user
-- deleted, removed with their messages (by the cascade). Returns how many sessions went; the job calls it
-- until it returns 0.
create function switchboard_purge_sessions(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select id from chat_sessions
            where expires_at < p_cutoff or deleted_at is not null
            limit p_batch
            for update skip locked
        )
        delete from chat_sessions s using batch where s.id = batch.id;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;
revoke all on function switchboard_purge_sessions(timestamptz, integer) from public;
grant execute on function switchboard_purge_sessions(timestamptz, integer) to switchboard_app;
