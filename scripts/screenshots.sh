#!/usr/bin/env bash
# Regenerates the README's backend screenshots (docs/*.png) from the role tours of
# helpdesk_itims/tests/test_backend_roles.py and the KPI screens of
# helpdesk_itims_kpi/tests/test_kpi_screens.py, run on a throw-away database with the
# demo data, in Spanish, at desk (1366 px) and phone (390 px) widths.
set -euo pipefail
. "$(dirname "$0")/common.sh"
DB="itims_shots_$(date +%s)_$$"
trap 'psql -d postgres -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$ROOT/.cache/data/filestore/$DB"' EXIT
echo "[screenshots] installing the addons with demo data in $DB"
odoo -d "$DB" -i "$ITIMS_ADDONS" --load-language=es_ES --stop-after-init --log-level=warn
ITIMS_SCREENSHOTS="$ROOT/docs" python -m pytest -p no:cacheprovider -q \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
    helpdesk_itims/tests/test_backend_roles.py helpdesk_itims_kpi/tests/test_kpi_screens.py
echo "[screenshots] written to docs/"
