#!/usr/bin/env bash
# Back up and restore the platform's PostgreSQL database: pg_dump / pg_restore, custom format.
#
#   pg-backup.sh backup  [--url URL] [--schema PATTERN]... FILE
#   pg-backup.sh restore [--url URL] FILE
#   pg-backup.sh list    [--url URL] FILE
#
# Where the database is:
#   --url URL   a PostgreSQL URL: libpq's postgresql://user:password@host:port/db or the platform's
#               own CLINIC_DATABASE_URL form (postgresql+asyncpg://…). The local pg_dump/pg_restore
#               run against it: from $PG_BIN if set, else the PATH, else the newest
#               /usr/lib/postgresql/*/bin (they must be at least the server's major version).
#   (no --url)  the `postgres` service of the Compose file next to this script (or $COMPOSE_FILE),
#               through `docker compose exec`: the container's own tools, user and database.
#               $DOCKER_COMPOSE picks the command (default "docker compose").
#
# backup   writes FILE (never overwrites one): the whole database, or only the schemas matching
#          --schema (pg_dump patterns, e.g. 'patients' or 'demo_*'; repeatable). The archive is
#          checked readable before it gets its name, so a FILE that exists is a whole backup.
# restore  drops what FILE holds (--clean --if-exists) and recreates it in one transaction: on any
#          error nothing changes. Stop the platform's processes first and start them after.
# list     prints FILE's table of contents (a quick check that a backup is readable).
#
# Exit codes: 0 done, 1 failed (the message says why), 64 wrong usage.
set -euo pipefail

PROG=$(basename "$0")
HERE=$(cd "$(dirname "$0")" && pwd)

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { say "$*"; exit 1; }
usage() {
    sed -n '4,6p' "$0" | sed 's/^# *//' >&2
    say "$*"
    exit 64
}

# ---------------------------------------------------------------- arguments
[ "$#" -gt 0 ] || usage "missing command (backup, restore or list)"
command=$1
shift
case "$command" in
    backup | restore | list) ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown command: $command" ;;
esac

url=""
file=""
schemas=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --url) [ "$#" -ge 2 ] && [ -n "$2" ] || usage "--url needs a value"; url=$2; shift 2 ;;
        --url=*) url=${1#--url=}; [ -n "$url" ] || usage "--url needs a value"; shift ;;
        --schema) [ "$#" -ge 2 ] && [ -n "$2" ] || usage "--schema needs a value"; schemas+=("$2"); shift 2 ;;
        --schema=*) [ -n "${1#--schema=}" ] || usage "--schema needs a value"; schemas+=("${1#--schema=}"); shift ;;
        --) shift; [ "$#" -eq 1 ] || usage "expected one FILE after --"; file=$1; shift ;;
        -*) usage "unknown option: $1" ;;
        *) [ -z "$file" ] || usage "more than one FILE: $file, $1"; file=$1; shift ;;
    esac
done
[ -n "$file" ] || usage "missing FILE"
if [ "${#schemas[@]}" -gt 0 ] && [ "$command" != backup ]; then
    usage "--schema is for backup only: restore puts back what the file holds"
fi

# ---------------------------------------------------------------- running the tools
# The platform's URL names its driver (postgresql+asyncpg://); libpq wants the plain scheme.
url=${url/#postgresql+asyncpg:\/\//postgresql://}
url=${url/#postgres+asyncpg:\/\//postgresql://}

find_tool() {
    local name=$1 found
    if [ -n "${PG_BIN:-}" ]; then
        [ -x "$PG_BIN/$name" ] || die "$PG_BIN/$name not found (PG_BIN)"
        printf '%s\n' "$PG_BIN/$name"
        return
    fi
    if found=$(command -v "$name"); then
        printf '%s\n' "$found"
        return
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$found" ] || die "$name not found: install the PostgreSQL client (e.g. postgresql-client) or set PG_BIN"
    printf '%s\n' "$found"
}

compose_file=${COMPOSE_FILE:-$HERE/compose.yaml}
read -r -a compose_cmd <<<"${DOCKER_COMPOSE:-docker compose}"

# run TOOL ARGS…: the tool against the database, stdin/stdout passed through. In the container
# the user and database come from its own POSTGRES_USER / POSTGRES_DB.
run() {
    local tool=$1
    shift
    if [ -n "$url" ]; then
        "$(find_tool "$tool")" --dbname="$url" "$@"
    else
        [ -f "$compose_file" ] || die "no --url and no Compose file at $compose_file"
        "${compose_cmd[@]}" -f "$compose_file" exec -T postgres \
            sh -c "exec $tool --username=\"\$POSTGRES_USER\" --dbname=\"\$POSTGRES_DB\" \"\$@\"" "$tool" "$@"
    fi
}

# list FILE's contents: pg_restore --list needs no database (in Compose it runs in the container).
list_archive() {
    if [ -n "$url" ]; then
        "$(find_tool pg_restore)" --list "$1"
    else
        "${compose_cmd[@]}" -f "$compose_file" exec -T postgres pg_restore --list <"$1"
    fi
}

where() {
    if [ -n "$url" ]; then
        # The password never goes to the terminal.
        printf '%s' "$url" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'
    else
        printf 'the postgres service of %s' "$compose_file"
    fi
}

# ---------------------------------------------------------------- commands
case "$command" in
    backup)
        [ ! -e "$file" ] || die "$file already exists: choose a new name (a backup is never overwritten)"
        dir=$(dirname "$file")
        [ -d "$dir" ] && [ -w "$dir" ] || die "cannot write to $dir"
        partial="$file.partial"
        trap 'rm -f "$partial"' EXIT
        schema_args=()
        for pattern in "${schemas[@]+"${schemas[@]}"}"; do
            schema_args+=("--schema=$pattern")
        done
        say "backing up $(where)${schemas[*]:+ (schemas: ${schemas[*]})} to $file"
        run pg_dump --format=custom --no-owner --no-privileges "${schema_args[@]+"${schema_args[@]}"}" >"$partial" ||
            die "pg_dump failed (see above); no backup was written"
        entries=$(list_archive "$partial" | grep -c -v '^;' || true)
        [ "$entries" -gt 0 ] || die "the dump holds nothing (no schema matched?); no backup was written"
        mv "$partial" "$file"
        trap - EXIT
        say "done: $file ($(wc -c <"$file" | tr -d ' ') bytes, $entries entries)"
        ;;
    restore)
        [ -f "$file" ] && [ -r "$file" ] || die "$file is not a readable file"
        list_archive "$file" >/dev/null || die "$file is not a pg_dump archive in custom format"
        say "restoring $file into $(where): what it holds is dropped and recreated in one transaction"
        run pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error <"$file" ||
            die "pg_restore failed (see above); the transaction was rolled back, nothing changed"
        say "done: start the platform's processes again (docker compose up -d)"
        ;;
    list)
        [ -f "$file" ] && [ -r "$file" ] || die "$file is not a readable file"
        list_archive "$file"
        ;;
esac
