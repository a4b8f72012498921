#!/usr/bin/env bash
# `make bench`: every figure of bench/bench_all.py against real `odoo-bin --workers=2`
# servers on 127.0.0.1; one JSON line per figure on stdout, appended to bench/results.jsonl.
#
# The databases are cached like make test's: the ITIMS template (scripts/common.sh's
# ensure_itims_template, shared with `make test`), a second one with helpdesk_mgmt alone
# ("$TPL"_mgmt) and the template with generated tickets ("$TPL"_kpi1000k; built by the
# first run, in a few minutes); all are dropped with the template when the addons change.
# Locust and py-spy live in their own venv (.cache/bench-venv, from bench/requirements.txt):
# locust's gevent must not replace the one Odoo runs on.
#   BENCH_QUICK=1     the ~3-minute smoke run (fewer tickets, shorter loads, 100k KPI rows)
#   BENCH_PROFILE=1   also py-spy the intake and the chatbot route (.cache/log/bench/)
#   BENCH_PORT        first of the 12 ports used (default 8400)
#   ITIMS_DB_PREFIX   prefix of the databases made here (default itims)
# Extra arguments reach bench/bench_all.py: `bash scripts/bench.sh --only rates,kpi`.
set -euo pipefail
. "$(dirname "$0")/common.sh"
LOGDIR="$ROOT/.cache/log/bench"
mkdir -p "$LOGDIR"
ensure_itims_template "$LOGDIR"
MGMT="${TPL}_mgmt"
if [ -f "$CACHE_DIR/$MGMT.installed" ] && db_exists "$MGMT"; then
    echo "[bench] reusing the helpdesk_mgmt database $MGMT"
else
    echo "[bench] installing helpdesk_mgmt alone with demo data in $MGMT (cached)"
    drop_db "$MGMT"
    odoo_install_checked "$MGMT" "$LOGDIR/install_mgmt.log" -i helpdesk_mgmt || {
        drop_db "$MGMT"; exit 1; }
    touch "$CACHE_DIR/$MGMT.installed"
fi
BENCH_VENV="$ROOT/.cache/bench-venv"
REQS="$ROOT/bench/requirements.txt"
if ! cmp -s "$REQS" "$BENCH_VENV/.requirements" 2>/dev/null; then
    echo "[bench] installing the load generator in $BENCH_VENV"
    rm -rf "$BENCH_VENV"
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install -q -r "$REQS" >"$LOGDIR/pip.log" 2>&1 || {
        tail -n 20 "$LOGDIR/pip.log" >&2; exit 1; }
    cp "$REQS" "$BENCH_VENV/.requirements"
fi
args=(--template "$TPL" --mgmt-template "$MGMT" --locust "$BENCH_VENV/bin/locust"
      --py-spy "$BENCH_VENV/bin/py-spy" --logdir "$LOGDIR")
[ "${BENCH_QUICK:-0}" = 1 ] && args+=(--quick)
[ "${BENCH_PROFILE:-0}" = 1 ] && args+=(--profile)
exec python "$ROOT/bench/bench_all.py" "${args[@]}" "$@"
