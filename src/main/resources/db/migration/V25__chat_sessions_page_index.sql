-- The sessions list (GET /api/sessions?cursor=) pages newest activity first with id breaking ties: the order is
-- (last_activity_at desc, id desc) and the next page starts at (last_activity_at, id) < the cursor's pair. The V8
-- index stopped at last_activity_at, so PostgreSQL sorted the sessions sharing a timestamp before it could stop at
-- the page's end; with id in the index a page reads only its own rows, in order.
drop index chat_sessions_user_idx;
create index chat_sessions_user_idx on chat_sessions (tenant_id, user_id, last_activity_at desc, id desc) where deleted_at is null;
