-- Responses of the OpenAI-compatible Responses API (POST /v1/responses with store, the default): each is a turn
-- of a chat session owned by the caller, kept as the response object the client was given, so that
-- GET /v1/responses/{id} answers it again and previous_response_id continues its session. A response leaves with
-- its session (the purge's cascade); DELETE only hides it from its owner.
create table chat_responses (
    id          text primary key check (id ~ '^resp_[0-9a-f]{32}$'),
    tenant_id   uuid not null references tenants (id) on delete cascade,
    user_id     uuid not null references users (id) on delete cascade,
    session_id  uuid not null references chat_sessions (id) on delete cascade,
    body        jsonb not null,
    created_at  timestamptz not null default now(),
    deleted_at  timestamptz
);
create index chat_responses_session_idx on chat_responses (session_id, created_at desc);

alter table chat_responses enable row level security;
create policy tenant_isolation on chat_responses
    using (tenant_id = switchboard_current_tenant())
    with check (tenant_id = switchboard_current_tenant());
grant select, insert, update on chat_responses to switchboard_app;
