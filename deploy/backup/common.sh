# shellcheck shell=bash
# Shared by backup.sh and restore.sh (sourced, not run): the command line, connection settings from the application's
# own variables, and the PostgreSQL client checks. Nothing here prints a password or puts one on a command line.

die() {
  echo "$(basename "$0"): $*" >&2
  exit "${EXIT_CODE:-2}"
}

note() {
  echo "$(basename "$0"): $*" >&2
}

# Reads the command line into the variables the script set to their defaults: --some-name sets SOME_NAME, to the next
# word when $1 lists it as "some-name:" (an option with a value), to true when it lists it bare (a flag). -h and --help
# print the script's usage; anything else is wrong usage (exit 2), and so is --cold without --data-dir.
parse_options() {
  local spec=" $1 " option name
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) usage; exit 0 ;;
    esac
    option="${1#--}"
    name="${option^^}"
    name="${name//-/_}"
    if [[ "$1" == --* && "$spec" == *" $option: "* ]]; then
      [ -n "${2:-}" ] || die "$1 needs a value"
      printf -v "$name" '%s' "$2"
      shift 2
    elif [[ "$1" == --* && "$spec" == *" $option "* ]]; then
      printf -v "$name" '%s' true
      shift
    else
      usage >&2
      die "unknown argument: $1"
    fi
  done
  if [ "${COLD:-false}" = true ] && [ -z "${DATA_DIR:-}" ]; then
    die "--cold needs --data-dir"
  fi
}

# The PostgreSQL client programs: from --pg-bin when given, otherwise from PATH.
pg_tool() {
  local tool="$1"
  if [ -n "${PG_BIN:-}" ]; then
    [ -x "$PG_BIN/$tool" ] || die "$PG_BIN/$tool not found (--pg-bin)"
    echo "$PG_BIN/$tool"
  else
    command -v "$tool" > /dev/null || die "$tool not found: install the PostgreSQL client (Debian: apt-get install postgresql-client) or pass --pg-bin DIR"
    command -v "$tool"
  fi
}

# The major version of a client program: "pg_dump (PostgreSQL) 15.20 (Debian ...)" -> 15.
client_major() {
  "$1" --version | sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}

url_decode() {
  local encoded="${1//+/ }"
  printf '%b' "${encoded//%/\\x}"
}

# Turns a JDBC or libpq URL (jdbc:postgresql://user:pass@host:port,host2:port2/db?user=u&password=p&sslmode=require)
# into PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, ... in the environment, where pg_dump, pg_restore
# and psql read them: the password stays out of the process list. SPRING_DATASOURCE_USERNAME and
# SPRING_DATASOURCE_PASSWORD fill in what the URL does not say, as they do for the application.
export_connection() {
  local url="$1" rest authority path query hosts="" ports="" entry host port key value
  case "$url" in
    jdbc:postgresql://*) rest="${url#jdbc:postgresql://}" ;;
    postgresql://*) rest="${url#postgresql://}" ;;
    postgres://*) rest="${url#postgres://}" ;;
    *) die "not a PostgreSQL URL: expected jdbc:postgresql://host:port/database (the value of SPRING_DATASOURCE_URL)" ;;
  esac
  query=""
  if [[ "$rest" == *\?* ]]; then
    query="${rest#*\?}"
    rest="${rest%%\?*}"
  fi
  authority="${rest%%/*}"
  path=""
  [[ "$rest" == */* ]] && path="${rest#*/}"
  [ -n "$path" ] || die "the URL names no database: $url"
  if [[ "$authority" == *@* ]]; then
    local credentials="${authority%@*}"
    authority="${authority##*@}"
    export PGUSER; PGUSER="$(url_decode "${credentials%%:*}")"
    if [[ "$credentials" == *:* ]]; then
      export PGPASSWORD; PGPASSWORD="$(url_decode "${credentials#*:}")"
    fi
  fi
  IFS=',' read -r -a entries <<< "$authority"
  for entry in "${entries[@]}"; do
    if [[ "$entry" == \[* ]]; then
      host="${entry%%]*}"; host="${host#[}"
      port="${entry#*]}"; port="${port#:}"
    elif [[ "$entry" == *:* ]]; then
      host="${entry%%:*}"; port="${entry#*:}"
    else
      host="$entry"; port=""
    fi
    hosts="${hosts:+$hosts,}${host:-localhost}"
    ports="${ports:+$ports,}${port:-5432}"
  done
  export PGHOST="$hosts" PGPORT="$ports" PGDATABASE; PGDATABASE="$(url_decode "$path")"
  if [ -n "$query" ]; then
    IFS='&' read -r -a entries <<< "$query"
    for entry in "${entries[@]}"; do
      key="${entry%%=*}"; value="$(url_decode "${entry#*=}")"
      case "$key" in
        user) export PGUSER="$value" ;;
        password) export PGPASSWORD="$value" ;;
        sslmode) export PGSSLMODE="$value" ;;
        sslrootcert) export PGSSLROOTCERT="$value" ;;
        sslcert) export PGSSLCERT="$value" ;;
        sslkey) export PGSSLKEY="$value" ;;
        ssl) [ "$value" = "true" ] && [ -z "${PGSSLMODE:-}" ] && export PGSSLMODE=verify-full ;;
        *) note "ignoring the JDBC parameter '$key' (no libpq equivalent)" ;;
      esac
    done
  fi
  if [ -z "${PGUSER:-}" ] && [ -n "${SPRING_DATASOURCE_USERNAME:-}" ]; then
    export PGUSER="$SPRING_DATASOURCE_USERNAME"
  fi
  if [ -z "${PGPASSWORD:-}" ] && [ -n "${SPRING_DATASOURCE_PASSWORD:-}" ]; then
    export PGPASSWORD="$SPRING_DATASOURCE_PASSWORD"
  fi
  return 0
}

# Whether the process with this id runs (an empty or malformed id does not).
process_alive() {
  [[ "$1" =~ ^[0-9]+$ ]] && { [ -d "/proc/$1" ] || kill -0 "$1" 2> /dev/null; }
}

# The embedded PostgreSQL of a Switchboard whose switchboard.data-dir is $1: it listens on 127.0.0.1 at the port its
# postmaster.pid records (line 4), superuser postgres, trust authentication on loopback.
export_embedded_connection() {
  local data_dir="$1" database="$2" pid_file pid port
  pid_file="$data_dir/postgres/postmaster.pid"
  [ -d "$data_dir/postgres" ] || die "$data_dir/postgres does not exist: --data-dir is switchboard.data-dir (SWITCHBOARD_DATA_DIR) of the instance"
  [ -f "$pid_file" ] || die "the embedded PostgreSQL in $data_dir/postgres is not running (no postmaster.pid): start Switchboard, or stop it and use --cold"
  pid="$(sed -n 1p "$pid_file")"
  port="$(sed -n 4p "$pid_file")"
  process_alive "$pid" \
    || die "the embedded PostgreSQL in $data_dir/postgres is not running (pid $pid in postmaster.pid is gone): start Switchboard, or use --cold"
  export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE="$database"
  unset PGPASSWORD
}

# Client programs cannot dump from (or be trusted to restore into) a newer server: the rule is client major >= server major.
require_client_not_older() {
  local tool="$1" server_major="$2" major
  major="$(client_major "$tool")"
  if [ -z "$major" ] || [ "$major" -lt "$server_major" ]; then
    die "$(basename "$tool") is PostgreSQL ${major:-?}, the server is PostgreSQL $server_major: the client must be the same major version or newer (Debian/Ubuntu: install postgresql-client-$server_major from apt.postgresql.org and pass --pg-bin /usr/lib/postgresql/$server_major/bin)"
  fi
}

# The server's major version, e.g. 15 or 17 (server_version_num / 10000); more arguments go to psql (--dbname=...).
server_major() {
  local psql="$1" number
  shift
  number="$("$psql" -X -A -t -v ON_ERROR_STOP=1 "$@" -c 'show server_version_num')" \
    || die "cannot connect to PostgreSQL at ${PGHOST:-?}:${PGPORT:-?}, database ${PGDATABASE:-?} as ${PGUSER:-?} (see the message above)"
  echo $((number / 10000))
}
