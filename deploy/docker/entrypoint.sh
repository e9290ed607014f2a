#!/bin/sh
# What a container of the clinic image runs, chosen by its first argument (Kubernetes `args`),
# or by the SERVICE build argument when none is given:
#   gateway                 the API gateway (CLINIC_HOST / CLINIC_PORT, default 0.0.0.0:8080)
#   <service> [--port N]    one service on 0.0.0.0:8080: patients, scheduling, ondoc-bridge,
#                           notifier, profexam, lab (package names like ondoc_bridge work too)
#   migrate <service>       apply that service's (or the gateway's) migrations and exit
# Every choice ends in `exec`, so the Python process is PID 1 and gets SIGTERM directly.
set -eu

target="${1:-${CLINIC_IMAGE_SERVICE:-all}}"
if [ "$#" -gt 0 ]; then
    shift
fi
package=$(printf '%s' "$target" | tr '-' '_')

case "$package" in
    gateway)
        export CLINIC_HOST="${CLINIC_HOST:-0.0.0.0}" CLINIC_PORT="${CLINIC_PORT:-8080}"
        exec python -m gateway
        ;;
    migrate)
        if [ "$#" -eq 0 ]; then
            set -- "${CLINIC_IMAGE_SERVICE:-}"
        fi
        migrate_package=$(printf '%s' "$1" | tr '-' '_')
        shift
        exec python -m clinic_shared.migrate "$migrate_package" "$@"
        ;;
    all | "")
        echo "usage: <gateway | patients | scheduling | ondoc-bridge | notifier | profexam | lab | migrate <service>>" >&2
        exit 64
        ;;
    *)
        exec python -m clinic_shared.runner "$package" --host 0.0.0.0 --port 8080 "$@"
        ;;
esac
