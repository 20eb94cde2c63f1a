#!/usr/bin/env bash
# Backs up Switchboard's database — users, sessions, knowledge bases, the originals of every document, chunks and
# their vectors, audit log, sealed credentials — as one pg_dump archive. The encryption key is never written into it.
# docs/operations.md "Backups and restore" explains when to use which form.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

usage() {
  cat << 'USAGE'
Usage:
  backup.sh --output FILE [--url URL] [--key-file FILE --key-copy-to PATH] [--pg-bin DIR] [--force]
  backup.sh --output FILE --data-dir DIR [--database NAME] [...]        embedded PostgreSQL, while Switchboard runs
  backup.sh --output FILE.tar.gz --data-dir DIR --cold                    embedded PostgreSQL, Switchboard stopped

A consistent snapshot, taken while Switchboard runs (pg_dump reads one transaction). Originals of documents are in
the database (knowledge_originals), so they are in the dump; the Lucene index is not needed: replicas rebuild it
from the database after a restore.

Source (one of):
  --url URL          the database: jdbc:postgresql://host:5432/switchboard (what spring.datasource.url says) or
                     postgresql://...; default: $SPRING_DATASOURCE_URL. User and password from the URL or from
                     $SPRING_DATASOURCE_USERNAME / $SPRING_DATASOURCE_PASSWORD (or $PGUSER / $PGPASSWORD): connect
                     as the schema owner (the user migrations run as), which can read every tenant's rows.
  --data-dir DIR     the embedded PostgreSQL of the Switchboard whose switchboard.data-dir is DIR: dumped through
                     the port its postmaster.pid records, while it runs. Needs pg_dump 17 or newer (the embedded
                     server is PostgreSQL 17).
  --database NAME    with --data-dir: the database (switchboard.database.embedded.database-name; default switchboard)
  --cold             with --data-dir: Switchboard (and its PostgreSQL) is stopped; archive DIR/postgres as a
                     .tar.gz instead of dumping. Restores only to the same PostgreSQL major version and platform.

Output:
  --output FILE      the archive to write (pg_dump custom format, or .tar.gz with --cold); not overwritten
                     unless --force. Written to FILE.partial first, renamed when complete, mode 600.
  --force            overwrite an existing --output

The encryption key (switchboard.security.encryption-key) is NOT in the archive: without it, the sealed
credentials in a restore cannot be read. Store it apart from the archive:
  --key-file FILE    the key as mounted for Switchboard (e.g. /run/secrets/switchboard.security.encryption-key)
  --key-copy-to PATH copy it there (mode 600; refused in the archive's directory, and never overwritten)

Other:
  --pg-bin DIR       where pg_dump and psql are (default: PATH). The client must be the server's major version or
                     newer (pg_dump refuses to dump a newer server).
  -h, --help         this text

Exit status: 0 written; 1 the dump failed; 2 wrong usage, missing tool or client too old.
USAGE
}

URL="${SPRING_DATASOURCE_URL:-}"
DATA_DIR=""
DATABASE="switchboard"
COLD=false
OUTPUT=""
FORCE=false
KEY_FILE=""
KEY_COPY_TO=""
PG_BIN=""
parse_options "url: data-dir: database: cold output: force key-file: key-copy-to: pg-bin:" "$@"

[ -n "$OUTPUT" ] || { usage >&2; die "--output is required"; }
[ -e "$OUTPUT" ] && [ "$FORCE" = false ] && die "$OUTPUT exists: choose another name or pass --force"
if [ -z "$DATA_DIR" ] && [ -z "$URL" ]; then
  usage >&2
  die "no database: pass --url, set SPRING_DATASOURCE_URL, or pass --data-dir for the embedded PostgreSQL"
fi
if [ -n "$KEY_COPY_TO" ] || [ -n "$KEY_FILE" ]; then
  if [ -z "$KEY_FILE" ] || [ -z "$KEY_COPY_TO" ]; then
    die "--key-file and --key-copy-to go together"
  fi
  [ -r "$KEY_FILE" ] || die "cannot read the key file $KEY_FILE"
  [ -e "$KEY_COPY_TO" ] && die "$KEY_COPY_TO exists: the key copy is never overwritten"
  key_dir="$(cd "$(dirname "$KEY_COPY_TO")" && pwd)" || die "the directory of $KEY_COPY_TO does not exist"
  output_dir="$(cd "$(dirname "$OUTPUT")" && pwd)" || die "the directory of $OUTPUT does not exist"
  [ "$key_dir" != "$output_dir" ] || die "--key-copy-to is in the archive's directory: keep the key apart from the backup (another volume, vault or account)"
fi

umask 077
PARTIAL="$OUTPUT.partial"
trap 'rm -f "$PARTIAL"' EXIT

cold_archive() {
  local pid_file="$DATA_DIR/postgres/postmaster.pid" pid
  [ -d "$DATA_DIR/postgres" ] || die "$DATA_DIR/postgres does not exist: --data-dir is switchboard.data-dir of the instance"
  if [ -f "$pid_file" ]; then
    pid="$(sed -n 1p "$pid_file")"
    if process_alive "$pid"; then
      die "the embedded PostgreSQL (pid $pid) is running: stop Switchboard first, or leave out --cold to dump it while it runs"
    fi
  fi
  tar -C "$DATA_DIR" -czf "$PARTIAL" postgres || EXIT_CODE=1 die "archiving $DATA_DIR/postgres failed"
  echo "Archived the stopped embedded PostgreSQL ($DATA_DIR/postgres) to $OUTPUT"
}

dump() {
  local pg_dump psql major
  pg_dump="$(pg_tool pg_dump)"
  psql="$(pg_tool psql)"
  if [ -n "$DATA_DIR" ]; then
    export_embedded_connection "$DATA_DIR" "$DATABASE"
  else
    export_connection "$URL"
  fi
  major="$(server_major "$psql")"
  require_client_not_older "$pg_dump" "$major"
  "$pg_dump" --format=custom --compress=6 --no-password --file="$PARTIAL" \
    || EXIT_CODE=1 die "pg_dump failed (see its message above); nothing was written to $OUTPUT"
  echo "Dumped database $PGDATABASE on $PGHOST:$PGPORT (PostgreSQL $major, $(basename "$pg_dump") $(client_major "$pg_dump")) to $OUTPUT"
}

if [ "$COLD" = true ]; then
  cold_archive
else
  dump
fi
mv -f "$PARTIAL" "$OUTPUT"
trap - EXIT

if [ -n "$KEY_COPY_TO" ]; then
  install -m 600 "$KEY_FILE" "$KEY_COPY_TO"
  echo "Copied the encryption key file to $KEY_COPY_TO (not into the archive)"
fi
cat << 'REMINDER'
Reminder: the archive does not hold switchboard.security.encryption-key. Keep the key (and any previous keys still
configured) in a separate, access-controlled place: stored credentials in a restore cannot be read without it.
REMINDER
