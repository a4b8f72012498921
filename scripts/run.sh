#!/usr/bin/env bash
# `make run`: database $ITIMS_DB (default itims) with the four addons and demo data,
# created on first run and upgraded afterwards, served on 127.0.0.1:$ITIMS_HTTP_PORT.
set -euo pipefail
. "$(dirname "$0")/common.sh"
DB="${ITIMS_DB:-itims}"
PORT="${ITIMS_HTTP_PORT:-8069}"
mkdir -p .cache/log
if db_exists "$DB"; then
    echo "[run] upgrading the ITIMS addons in $DB"
    odoo -d "$DB" -u "$ITIMS_ADDONS" --stop-after-init --log-level=warn
else
    echo "[run] creating $DB with the ITIMS addons and demo data (about a minute)"
    odoo -d "$DB" -i "$ITIMS_ADDONS" --stop-after-init --log-level=warn --load-language=es_ES
    # the institution speaks Spanish: the website too (the backend follows each user)
    odoo_shell -d "$DB" --no-http --log-level=warn > .cache/log/run_setup.log 2>&1 <<'PY'
spanish = env["res.lang"]._activate_lang("es_ES")
for website in env["website"].search([]):
    website.write({"language_ids": [(4, spanish.id)], "default_lang_id": spanish.id})
env.cr.commit()
print("ITIMS-SPANISH-OK")
PY
    grep -q '^ITIMS-SPANISH-OK' .cache/log/run_setup.log || {
        cat .cache/log/run_setup.log >&2; echo "[run] could not make Spanish the website's language" >&2; }
fi
echo "[run] http://127.0.0.1:$PORT  (login admin / password admin)"
exec python "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DB" --db-filter="^$DB\$" \
    --http-interface=127.0.0.1 --http-port="$PORT"
