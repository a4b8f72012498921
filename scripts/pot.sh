#!/usr/bin/env bash
# `make pot`: i18n/<addon>.pot, the translation template of each addon, exported by Odoo's
# own exporter (what `odoo-bin --i18n-export` runs) from a throw-away database where the
# addons are installed without demo data (demo records are not terms to translate, as in
# Odoo's own .pot files). An addon without translatable terms gets no .pot. The es.po
# catalogues are not touched (merge them with `msgmerge --update i18n/es.po i18n/<addon>.pot`).
set -euo pipefail
. "$(dirname "$0")/common.sh"
DB="${ITIMS_DB_PREFIX:-itims}_pot_$(date +%s)_$$"
LOG="$ROOT/.cache/log/pot_$(date +%s).log"
mkdir -p "$ROOT/.cache/log"
trap 'drop_db "$DB"' EXIT
echo "[pot] installing the ITIMS addons without demo data in $DB"
odoo_install_checked "$DB" "$LOG" -i "$ITIMS_ADDONS" --without-demo=all
odoo_shell -d "$DB" --no-http --log-level=warn > "$LOG.out" 2>&1 <<'PY'
import io
import os
import re

from odoo.tools.translate import trans_export

for addon in os.environ["ITIMS_ADDONS"].split(","):
    buf = io.BytesIO()
    trans_export(False, [addon], buf, "po", env.cr)
    # no dates in the header (as OCA's .pot files): an unchanged export is an unchanged file
    content = re.sub(rb'^"(POT-Creation|PO-Revision)-Date: .*\n', b"", buf.getvalue(), flags=re.M)
    path = os.path.join(addon, "i18n", f"{addon}.pot")
    if content.count(b'\nmsgid "') <= 1:  # the header only: nothing to translate
        if os.path.exists(path):
            os.remove(path)
        print(f"ITIMS-POT {addon}: no translatable terms")
        continue
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as pot:
        pot.write(content)
    print(f"ITIMS-POT {path}: {content.count(b'msgid ') - 1} terms")
PY
grep '^ITIMS-POT' "$LOG.out" || { cat "$LOG.out" >&2; echo "[pot] export failed" >&2; exit 1; }
