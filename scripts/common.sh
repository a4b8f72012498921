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
# The name of the template database `make test` caches the installed addons in (with demo
# data and Spanish): keyed by what an install depends on, the addons' files (tests and
# bytecode aside), the Odoo source tree (paths, sizes, modification times), the venv's
# packages and the scripts that install; and by this checkout (its filestore is in .cache).
install_inputs() {
    itims_addons | while read -r addon; do
        find "$addon" -type f -not -path '*/tests/*' -not -path '*/__pycache__/*' \
            -not -name '*.pyc' -print0
    done | sort -z | xargs -0 sha256sum
    echo "$ODOO_SRC"; find "$ODOO_SRC" -type f -printf '%P %s %T@\n' | sort
    python -m pip freeze --all 2>/dev/null
    sha256sum "$ROOT/scripts/test.sh" "$ROOT/scripts/common.sh"
}
itims_template_name() {
    local tag key
    tag="$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
    key="$(install_inputs | sha256sum | cut -c1-12)"
    echo "${ITIMS_DB_PREFIX:-itims}_cache_${tag}_${key}"
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
FILESTORE="$ROOT/.cache/data/filestore"
CACHE_DIR="$ROOT/.cache/test-cache"
mkdir -p "$CACHE_DIR" "$FILESTORE"
# Set TPL to the cached template database (the four addons installed with demo data and
# Spanish), installing it first when the addons changed; older templates of this checkout
# (and the databases derived from them, named "$TPL"_...) are dropped then.
# ensure_itims_template LOGDIR   (used by test.sh and bench.sh)
ensure_itims_template() {
    local logdir="$1" prefix="${ITIMS_DB_PREFIX:-itims}" root_tag old
    TPL="$(itims_template_name)"
    root_tag="${TPL#"${prefix}_cache_"}"; root_tag="${root_tag%%_*}"
    if [ -f "$CACHE_DIR/$TPL.installed" ] && db_exists "$TPL" && [ -d "$FILESTORE/$TPL" ]; then
        echo "[cache] the addons are unchanged: reusing the installed database $TPL"
        return 0
    fi
    echo "[cache] installing the ITIMS addons with demo data in $TPL (cached for the next runs)"
    drop_db "$TPL"; rm -f "$CACHE_DIR/$TPL".*
    odoo_install_checked "$TPL" "$logdir/install.log" -i "$ITIMS_ADDONS" --load-language=es_ES \
        || { drop_db "$TPL"; return 1; }
    mkdir -p "$FILESTORE/$TPL"
    touch "$CACHE_DIR/$TPL.installed"
    # older templates of this checkout are stale now
    for old in $(psql -d postgres -Atqc "SELECT datname FROM pg_database
            WHERE datname LIKE '${prefix}\\_cache\\_${root_tag}\\_%' AND datname NOT LIKE '$TPL%'"); do
        drop_db "$old"; rm -f "$CACHE_DIR/$old".*
    done
}
