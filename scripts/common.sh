# Sourced by run.sh, test.sh and pot.sh: bootstraps, then defines what they use.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
# shellcheck source=/dev/null
. "$ROOT/.cache/env"
CONF="$ROOT/.cache/odoo.conf"
# The ITIMS addons: every directory of the repository holding a __manifest__.py (the one
# list; tests/test_stack.py reads the directories the same way).
itims_addons() { local m; for m in "$ROOT"/*/__manifest__.py; do basename "$(dirname "$m")"; done; }
ITIMS_ADDONS="$(itims_addons | paste -sd, -)"
export ITIMS_ADDONS
odoo() { python "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }
odoo_shell() { python "$ODOO_SRC/odoo-bin" shell -c "$CONF" "$@"; }
db_exists() { [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
drop_db() {
    psql -d postgres -qc "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$ROOT/.cache/data/filestore/$1"
}
# Install (or update) addons and fail on any WARNING/ERROR line, as OCA's checklog-odoo does.
# odoo_install_checked DB LOGFILE ODOO_ARGS...
odoo_install_checked() {
    local db="$1" logfile="$2"; shift 2
    odoo -d "$db" --stop-after-init --log-level=info --logfile="$logfile" "$@" || {
        tail -n 40 "$logfile" >&2; return 1; }
    checklog-odoo --no-echo "$logfile" || {
        echo "Odoo logged warnings or errors while installing; see $logfile:" >&2
        grep -E ' (WARNING|ERROR|CRITICAL) ' "$logfile" | head -n 40 >&2; return 1; }
}
