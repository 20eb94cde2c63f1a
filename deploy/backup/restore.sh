#!/usr/bin/env bash
# Restores a backup.sh archive into a fresh database, then makes every replica rebuild its local knowledge index from
# the restored rows. docs/operations.md "Backups and restore" is the procedure around it.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

usage() {
  cat << 'USAGE'
Usage:
  restore.sh --input FILE [--url URL] [--create] [--force] [--pg-bin DIR]
  restore.sh --input FILE --data-dir DIR --database NAME [--create] [...]   into a running embedded PostgreSQL
  restore.sh --input FILE.tar.gz --data-dir DIR --cold [--force]            a --cold archive, Switchboard stopped

Restores a pg_dump archive written by backup.sh into an empty database: every table, row, function and grant,
owned by the user restoring (the schema owner the application migrates as), in one transaction (all or nothing).
Then it gives knowledge_index_state a new follow_epoch, so that every replica empties its local Lucene index and
fills it again from the restored chunk rows when it starts or at its next look (nothing is embedded again).
Start the same Switchboard version (or a newer one) with the same switchboard.security.encryption-key.

Target (one of):
  --url URL          the database: jdbc:postgresql://host:5432/switchboard or postgresql://...; default:
                     $SPRING_DATASOURCE_URL. User and password from the URL or $SPRING_DATASOURCE_USERNAME /
                     $SPRING_DATASOURCE_PASSWORD (or $PGUSER / $PGPASSWORD): the user Switchboard migrates as.
  --data-dir DIR     the running embedded PostgreSQL of the Switchboard whose switchboard.data-dir is DIR, into the
  --database NAME    database NAME (with --create: made first); then restart that Switchboard with
                     switchboard.database.embedded.database-name=NAME. Needs pg_restore 17 or newer.
  --cold             with --data-dir: unpack a --cold archive as DIR/postgres (Switchboard stopped)

Options:
  --input FILE       the archive (backup.sh --output)
  --create           create the database first when it does not exist (connects to the database "postgres" on
                     the same server; needs CREATEDB)
  --force            restore into a database that is not empty: every object the archive holds is dropped and
                     restored (pg_restore --clean); objects it does not hold are left. For a clean slate drop and
                     recreate the database instead. With --cold: an existing DIR/postgres is moved aside to
                     DIR/postgres.before-restore-<time>, never deleted.
  --pg-bin DIR       where pg_restore and psql are (default: PATH); the client must be the server's major version
                     or newer, and not older than the pg_dump that wrote the archive
  -h, --help         this text

The role switchboard_app (NOLOGIN; the role the application's connections act as, under row-level security) is
created when the server lacks it (needs CREATEROLE; otherwise an administrator runs
"create role switchboard_app nologin; grant switchboard_app to <user>;" first) and granted to the restoring user.

Exit status: 0 restored; 1 the restore failed (nothing was kept: one transaction); 2 wrong usage, missing tool or
client too old; 3 the target database is not empty (and no --force).
USAGE
}

URL="${SPRING_DATASOURCE_URL:-}"
DATA_DIR=""
DATABASE=""
COLD=false
INPUT=""
CREATE=false
FORCE=false
PG_BIN=""
parse_options "url: data-dir: database: cold input: create force pg-bin:" "$@"

[ -n "$INPUT" ] || { usage >&2; die "--input is required"; }
[ -r "$INPUT" ] || die "cannot read $INPUT"

restore_cold() {
  local target="$DATA_DIR/postgres" pid aside
  mkdir -p "$DATA_DIR"
  if [ -f "$target/postmaster.pid" ]; then
    pid="$(sed -n 1p "$target/postmaster.pid")"
    if process_alive "$pid"; then
      die "the embedded PostgreSQL (pid $pid) is running in $target: stop Switchboard first"
    fi
  fi
  if [ -d "$target" ] && [ -n "$(ls -A "$target")" ]; then
    [ "$FORCE" = true ] || EXIT_CODE=3 die "$target is not empty: pass --force to move it aside, or choose a fresh --data-dir"
    aside="$target.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$target" "$aside"
    note "moved the existing $target to $aside"
  fi
  tar -C "$DATA_DIR" -xzf "$INPUT" postgres || EXIT_CODE=1 die "unpacking $INPUT failed"
  echo "Restored $DATA_DIR/postgres from $INPUT. Start Switchboard with switchboard.data-dir=$DATA_DIR:"
  echo "PostgreSQL recovers the copy as after a crash, and the knowledge index is rebuilt if it followed a later state."
}

sql() {
  "$PSQL" -X -A -t -q -v ON_ERROR_STOP=1 "$@"
}

create_if_missing() {
  local exists
  [[ "$PGDATABASE" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--create needs a plain lower-case database name, not '$PGDATABASE'"
  exists="$(sql --dbname=postgres -c "select 1 from pg_database where datname = '$PGDATABASE'")" \
    || die "cannot connect to the database postgres on $PGHOST:$PGPORT to create $PGDATABASE"
  if [ -z "$exists" ]; then
    sql --dbname=postgres -c "create database $PGDATABASE encoding 'UTF8'" || die "could not create the database $PGDATABASE"
    note "created the database $PGDATABASE"
  fi
}

# Tables, views, sequences and the like outside the system schemas: an extension alone (pgvector, created by an
# administrator beforehand) leaves a database empty.
relation_count() {
  sql -c "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\_toast%'
            and n.nspname not like 'pg\_temp%' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
            and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                            and d.deptype = 'e')"
}

ensure_application_role() {
  sql << 'SQL' || die "could not create or grant the role switchboard_app: an administrator runs \"create role switchboard_app nologin; grant switchboard_app to $PGUSER;\" first"
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'switchboard_app') then
        create role switchboard_app nologin;
    end if;
    if not pg_has_role(current_user, 'switchboard_app', 'member') then
        grant switchboard_app to current_user;
    end if;
end
$$;
SQL
}

# How many rows a table of the restore holds ("?" for an archive without it).
rows() {
  sql -c "select count(*) from $1" 2> /dev/null || echo "?"
}

restore_dump() {
  local pg_restore major count
  pg_restore="$(pg_tool pg_restore)"
  PSQL="$(pg_tool psql)"
  if [ -n "$DATA_DIR" ]; then
    [ -n "$DATABASE" ] || die "--data-dir needs --database NAME: a database the running instance does not use (then restart it on NAME)"
    export_embedded_connection "$DATA_DIR" "$DATABASE"
  else
    [ -n "$URL" ] || { usage >&2; die "no database: pass --url, set SPRING_DATASOURCE_URL, or pass --data-dir"; }
    export_connection "$URL"
  fi
  "$pg_restore" --list "$INPUT" > /dev/null 2>&1 \
    || die "$INPUT is not an archive this pg_restore reads (a --cold .tar.gz needs --cold; an archive of a newer pg_dump needs a newer pg_restore)"
  # Checked before anything is created: with --create the database may not exist yet, the maintenance database does.
  if [ "$CREATE" = true ]; then
    major="$(server_major "$PSQL" --dbname=postgres)"
  else
    major="$(server_major "$PSQL")"
  fi
  require_client_not_older "$pg_restore" "$major"
  [ "$CREATE" = true ] && create_if_missing

  count="$(relation_count)"
  clean=()
  if [ "$count" -gt 0 ]; then
    [ "$FORCE" = true ] || EXIT_CODE=3 die "the database $PGDATABASE on $PGHOST:$PGPORT is not empty ($count tables, views or sequences): restore into a fresh database, or pass --force to replace what the archive holds"
    note "--force: the $count existing relations the archive also holds are dropped and restored"
    clean=(--clean --if-exists)
  fi
  ensure_application_role

  # COMMENT ON EXTENSION needs the extension's owner (an administrator created pgvector, say): leave comments out.
  list="$(mktemp)"
  trap 'rm -f "$list"' EXIT
  "$pg_restore" --list "$INPUT" | grep -v ' COMMENT - EXTENSION ' > "$list"
  "$pg_restore" --dbname="$PGDATABASE" --no-owner --single-transaction --no-password "${clean[@]}" --use-list="$list" "$INPUT" \
    || EXIT_CODE=1 die "pg_restore failed (see its message above); the transaction was rolled back, the database is as before"

  # Every replica's local Lucene index followed the old database (or none): a new epoch makes each one empty its index
  # and fill it from the restored chunk rows.
  if [ "$(sql -c "select count(*) from information_schema.columns where table_name = 'knowledge_index_state' and column_name = 'follow_epoch'")" = "1" ]; then
    sql -c "update knowledge_index_state set follow_epoch = gen_random_uuid()"
    note "rotated knowledge_index_state.follow_epoch: replicas rebuild their knowledge index from the database"
  fi
  echo "Restored $INPUT into $PGDATABASE on $PGHOST:$PGPORT: schema version $(sql -c "select version from flyway_schema_history where success and version is not null order by installed_rank desc limit 1" 2> /dev/null || echo "?")," \
    "$(rows tenants) tenants, $(rows users) users, $(rows chat_sessions) chat sessions, $(rows knowledge_documents) documents."
  echo "Start Switchboard on it with the same switchboard.security.encryption-key as the backed-up instance."
}

if [ "$COLD" = true ]; then
  restore_cold
else
  restore_dump
fi
