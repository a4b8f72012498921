#!/usr/bin/env bash
# `make test`: a throw-away database with the four addons and demo data, installed with
# a log that must be free of warnings and errors; every test through pytest-odoo (HttpCase
# and tours included); the database is dropped at the end. Exits non-zero on any failure
# or skipped test. A second throw-away database proves the addons install without demo
# data and uninstall cleanly.
set -euo pipefail
. "$(dirname "$0")/common.sh"
RUN_ID="$(date +%s)_$$"
DB="itims_test_$RUN_ID"
DB_NODEMO="itims_nodemo_$RUN_ID"
LOGDIR="$ROOT/.cache/log/test_$RUN_ID"
mkdir -p "$LOGDIR"
cleanup() {
    for db in "$DB" "$DB_NODEMO"; do
        psql -d postgres -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$ROOT/.cache/data/filestore/$DB" "$ROOT/.cache/data/filestore/$DB_NODEMO"
}
trap cleanup EXIT

echo "[test] installing the ITIMS addons with demo data in $DB"
odoo_install_checked "$DB" "$LOGDIR/install.log" -i "$ITIMS_ADDONS" --load-language=es_ES

echo "[test] running the tests"
# conftest.py collects as Odoo's loader does and turns any skipped test into a failure
set +e
python -m pytest -p no:cacheprovider -rs \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    helpdesk_itims helpdesk_itims_telegram helpdesk_itims_chatbot helpdesk_itims_kpi tests \
    "$@"
status=$?
set -e
[ $status -eq 0 ] || { echo "[test] FAILED (pytest exit $status)"; exit $status; }

echo "[test] installing without demo data, then uninstalling, in $DB_NODEMO"
odoo_install_checked "$DB_NODEMO" "$LOGDIR/install_nodemo.log" -i "$ITIMS_ADDONS" --without-demo=all
odoo_shell -d "$DB_NODEMO" --log-level=info --logfile="$LOGDIR/uninstall.log" --no-http \
    > "$LOGDIR/uninstall.out" 2>&1 <<'PY'
mods = env["ir.module.module"].search([("name", "in", [
    "helpdesk_itims_kpi", "helpdesk_itims_telegram", "helpdesk_itims_chatbot", "helpdesk_itims"])])
mods.button_immediate_uninstall()
left = env["ir.module.module"].search_count([("name", "like", "helpdesk_itims%"), ("state", "!=", "uninstalled")])
assert not left, f"{left} ITIMS addons still installed"
stages = env["helpdesk.ticket.stage"].with_context(active_test=False, lang="en_US").search([])
names = sorted(stages.filtered("active").mapped("name"))
assert names == sorted(["New", "In Progress", "Awaiting", "Done", "Cancelled", "Rejected"]), names
assert not env["ir.model.fields"].search_count([("name", "=like", "itims%")]), "ITIMS fields left"
env.cr.commit()
print("ITIMS-UNINSTALL-OK")
PY
grep -q '^ITIMS-UNINSTALL-OK' "$LOGDIR/uninstall.out" || {
    echo "[test] uninstalling the ITIMS addons failed:" >&2; cat "$LOGDIR/uninstall.out" >&2; exit 1; }
checklog-odoo --no-echo "$LOGDIR/uninstall.log" || {
    echo "Odoo logged warnings or errors while uninstalling; see $LOGDIR/uninstall.log" >&2
    grep -E ' (WARNING|ERROR|CRITICAL) ' "$LOGDIR/uninstall.log" | head -n 40 >&2; exit 1; }
echo "[test] OK: install with demo, tests, install without demo and uninstall are clean"
