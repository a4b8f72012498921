#!/usr/bin/env bash
# `make test`: every test through pytest-odoo (HttpCase and tours included) on a throw-away
# copy of an installed database, which is dropped at the end. Exits non-zero on any failure
# or skipped test.
#
# The installed database is cached as a template keyed by what an install depends on: the
# addons' files (their tests/ excepted), the Odoo source tree, the venv's packages and this
# script. When the key changes (an addon changed), the install checks run again: the four
# addons with demo data installed on a new template whose log must be free of warnings and
# errors (as OCA's checklog-odoo), and a second throw-away database proving they install
# without demo data and uninstall cleanly. An unchanged stack is not reinstalled: the tests
# run on `CREATE DATABASE ... TEMPLATE` plus a hard-linked copy of its filestore.
#   ITIMS_TEST_FRESH=1   ignore the cache (rebuild the template, rerun the install checks)
#   ITIMS_DB_PREFIX      prefix of the databases made here (default itims)
# Extra arguments reach pytest: `bash scripts/test.sh -k intake`; test paths among them
# replace the default set: `bash scripts/test.sh helpdesk_itims/tests/test_assignment.py`.
set -euo pipefail
. "$(dirname "$0")/common.sh"
PREFIX="${ITIMS_DB_PREFIX:-itims}"
RUN_ID="$(date +%s)_$$"
DB="${PREFIX}_test_$RUN_ID"
DB_NODEMO="${PREFIX}_nodemo_$RUN_ID"
LOGDIR="$ROOT/.cache/log/test_$RUN_ID"
mkdir -p "$LOGDIR"
cleanup() { drop_db "$DB"; drop_db "$DB_NODEMO"; }
trap cleanup EXIT

[ "${ITIMS_TEST_FRESH:-0}" = 1 ] && rm -f "$CACHE_DIR/$(itims_template_name)".*
ensure_itims_template "$LOGDIR"
psql -d postgres -qc "CREATE DATABASE \"$DB\" TEMPLATE \"$TPL\"" >/dev/null
# attachments are never rewritten in place (a new content is a new file): hard links are safe
cp -al "$FILESTORE/$TPL" "$FILESTORE/$DB"

echo "[test] running the tests"
# conftest.py collects as Odoo's loader does and turns any skipped test into a failure
set +e
# test paths among the arguments replace the default (every addon and tests/)
targets=()
for arg in "$@"; do [ -e "${arg%%::*}" ] && targets+=("$arg"); done
[ ${#targets[@]} -gt 0 ] || { mapfile -t targets < <(itims_addons); targets+=(tests); }
args=()
for arg in "$@"; do [ -e "${arg%%::*}" ] || args+=("$arg"); done
python -m pytest -p no:cacheprovider -rs \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    "${targets[@]}" "${args[@]}"
status=$?
set -e
[ $status -eq 0 ] || { echo "[test] FAILED (pytest exit $status)"; exit $status; }

if [ -f "$CACHE_DIR/$TPL.checked" ]; then
    echo "[test] OK (install with demo, install without demo and uninstall were checked on this same stack)"
    exit 0
fi
echo "[test] installing without demo data, then uninstalling, in $DB_NODEMO"
odoo_install_checked "$DB_NODEMO" "$LOGDIR/install_nodemo.log" -i "$ITIMS_ADDONS" --without-demo=all
odoo_shell -d "$DB_NODEMO" --log-level=info --logfile="$LOGDIR/uninstall.log" --no-http \
    > "$LOGDIR/uninstall.out" 2>&1 <<'PY'
import os
addons = os.environ["ITIMS_ADDONS"].split(",")
mods = env["ir.module.module"].search([("name", "in", addons)])
assert len(mods) == len(addons), (addons, mods.mapped("name"))
mods.button_immediate_uninstall()
left = env["ir.module.module"].search_count([("name", "in", addons), ("state", "!=", "uninstalled")])
assert not left, f"{left} ITIMS addons still installed"
stages = env["helpdesk.ticket.stage"].with_context(active_test=False, lang="en_US").search([])
names = sorted(stages.filtered("active").mapped("name"))
assert names == sorted(["New", "In Progress", "Awaiting", "Done", "Cancelled", "Rejected"]), names
assert not env["ir.model.fields"].search_count([("name", "=like", "itims%")]), "ITIMS fields left"
assert not env["ir.model"]._get("helpdesk.ticket").website_form_access, "tickets left in the form builder"
env.cr.commit()
print("ITIMS-UNINSTALL-OK")
PY
grep -q '^ITIMS-UNINSTALL-OK' "$LOGDIR/uninstall.out" || {
    echo "[test] uninstalling the ITIMS addons failed:" >&2; cat "$LOGDIR/uninstall.out" >&2; exit 1; }
checklog-odoo --no-echo "$LOGDIR/uninstall.log" || {
    echo "Odoo logged warnings or errors while uninstalling; see $LOGDIR/uninstall.log" >&2
    grep -E ' (WARNING|ERROR|CRITICAL) ' "$LOGDIR/uninstall.log" | head -n 40 >&2; exit 1; }
touch "$CACHE_DIR/$TPL.checked"
echo "[test] OK: install with demo, tests, install without demo and uninstall are clean"
