#!/usr/bin/env bash
# `make clean`: drop the databases `make test` cached for this checkout, stop the
# project-local PostgreSQL that bootstrap may have started (in .cache/pgdata, or where
# .cache/pglocal points), then delete it, .cache and .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .cache/env ]; then
    (
        # shellcheck source=/dev/null
        . .cache/env
        tag="$(printf '%s' "$(pwd)" | sha256sum | cut -c1-8)"
        like="${ITIMS_DB_PREFIX:-itims}\\_cache\\_${tag}\\_%"
        for db in $(psql -d postgres -Atqc "SELECT datname FROM pg_database WHERE datname LIKE '$like'" 2>/dev/null); do
            psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
        done
    ) || true
fi
for pgdata in .cache/pgdata .cache/pglocal/pgdata; do
    [ -f "$pgdata/postmaster.pid" ] || continue
    pg_ctl="$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)"
    [ -n "$pg_ctl" ] || break
    pgdata="$(cd "$pgdata" && pwd -P)"
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u "$(stat -c %U "$pgdata")" -- "$pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null) || true
    else
        "$pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
    fi
done
if [ -L .cache/pglocal ]; then
    case "$(readlink .cache/pglocal)" in /var/lib/itims-pg/?*) rm -rf "$(readlink .cache/pglocal)" ;; esac
fi
rm -rf .venv .cache
