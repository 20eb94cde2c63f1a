-- Retention (switchboard.retention.*): refresh tokens, audit events and usage rows older than their
-- retention are deleted in small batches by every replica's retention job. The rows belong to every tenant,
-- so the deletes are SECURITY DEFINER functions the application role may call (and nothing else); each removes
-- at most p_batch rows and skips rows another replica's batch holds. The job calls them until they return 0.

-- A refresh token is kept p_cutoff after it expired or was revoked: an expired token is refused whether its
-- row exists or not, so reuse detection loses nothing.
create index refresh_tokens_expires_idx on refresh_tokens (expires_at);
create index refresh_tokens_revoked_idx on refresh_tokens (revoked_at) where revoked_at is not null;

create function switchboard_purge_refresh_tokens(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select id from refresh_tokens
            where expires_at < p_cutoff or revoked_at < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from refresh_tokens t using batch where t.id = batch.id;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;
revoke all on function switchboard_purge_refresh_tokens(timestamptz, integer) from public;
grant execute on function switchboard_purge_refresh_tokens(timestamptz, integer) to switchboard_app;

create index audit_events_time_idx on audit_events (occurred_at);

create function switchboard_purge_audit_events(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select id from audit_events
            where occurred_at < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from audit_events e using batch where e.id = batch.id;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;
revoke all on function switchboard_purge_audit_events(timestamptz, integer) from public;
grant execute on function switchboard_purge_audit_events(timestamptz, integer) to switchboard_app;

create index usage_records_minute_idx on usage_records (minute);

create function switchboard_purge_usage_records(p_cutoff timestamptz, p_batch integer) returns integer
    language plpgsql security definer set search_path = public as $$
    declare
        purged integer;
    begin
        with batch as (
            select ctid from usage_records
            where minute < p_cutoff
            limit p_batch
            for update skip locked
        )
        delete from usage_records u using batch where u.ctid = batch.ctid;
        get diagnostics purged = row_count;
        return purged;
    end
    $$;
revoke all on function switchboard_purge_usage_records(timestamptz, integer) from public;
grant execute on function switchboard_purge_usage_records(timestamptz, integer) to switchboard_app;
