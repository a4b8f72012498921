#!/usr/bin/env bash
# `make pot`: i18n/<addon>.pot, the translation template of each addon, exported by Odoo's
# own exporter (what `odoo-bin --i18n-export` runs) from a copy of the database `make test`
# caches (the addons with demo data), or from a throw-away install when there is none yet.
# Demo records count: Odoo merges the .pot into every .po it loads (PoFileReader) and drops
# the .po entries the .pot lacks, so a .pot without them would untranslate the demo data.
# For the same reason the references a catalogue makes to records of other modules (the
# helpdesk_mgmt stages helpdesk_itims renames), which the exporter cannot see, are kept.
# An addon without translatable terms gets no .pot. The .po catalogues are not touched
# (update one with `msgmerge --update i18n/es.po i18n/<addon>.pot`).
set -euo pipefail
. "$(dirname "$0")/common.sh"
PREFIX="${ITIMS_DB_PREFIX:-itims}"
DB="${PREFIX}_pot_$(date +%s)_$$"
# ITIMS_POT_TEMPLATE: export from this installed database instead (terms only: a template a
# demo-data change made stale serves as well)
TPL="${ITIMS_POT_TEMPLATE:-$(itims_template_name)}"
LOG="$ROOT/.cache/log/pot_$(date +%s).log"
mkdir -p "$ROOT/.cache/log" "$ROOT/.cache/data/filestore"
trap 'drop_db "$DB"' EXIT
if { [ -n "${ITIMS_POT_TEMPLATE:-}" ] || [ -f "$ROOT/.cache/test-cache/$TPL.installed" ]; } \
    && db_exists "$TPL"; then
    echo "[pot] exporting from a copy of $TPL"
    psql -d postgres -qc "CREATE DATABASE \"$DB\" TEMPLATE \"$TPL\"" >/dev/null
else
    echo "[pot] installing the ITIMS addons with demo data in $DB"
    odoo_install_checked "$DB" "$LOG" -i "$ITIMS_ADDONS" --load-language=es_ES
fi
odoo_shell -d "$DB" --no-http --log-level=warn > "$LOG.out" 2>&1 <<'PY'
import glob
import io
import os
import re

import polib

from odoo.tools.translate import trans_export

for addon in os.environ["ITIMS_ADDONS"].split(","):
    buf = io.BytesIO()
    trans_export(False, [addon], buf, "po", env.cr)
    # no dates in the header (as OCA's .pot files): an unchanged export is an unchanged file
    content = re.sub(rb'^"(POT-Creation|PO-Revision)-Date: .*\n', b"", buf.getvalue(), flags=re.M)
    pot = polib.pofile(content.decode())
    # references of the catalogues to other modules' records (model:...:module.xmlid)
    for po_path in sorted(glob.glob(os.path.join(addon, "i18n", "*.po"))):
        for entry in polib.pofile(po_path):
            foreign = [
                (occurrence, line)
                for occurrence, line in entry.occurrences
                if re.match(r"model(_terms)?:[\w.]+,\w+:(?!%s\.)\w+\." % addon, occurrence)
            ]
            if not foreign or entry.obsolete:
                continue
            target = pot.find(entry.msgid)
            if target is None:
                target = polib.POEntry(msgid=entry.msgid, msgstr="", comment=f"module: {addon}")
                pot.append(target)
            target.occurrences += [o for o in foreign if o not in target.occurrences]
    path = os.path.join(addon, "i18n", f"{addon}.pot")
    if not len(pot):  # the header only
        if os.path.exists(path):
            os.remove(path)
        print(f"ITIMS-POT {addon}: no translatable terms")
        continue
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(str(pot))
    print(f"ITIMS-POT {path}: {len(pot)} terms")
PY
grep '^ITIMS-POT' "$LOG.out" || { cat "$LOG.out" >&2; echo "[pot] export failed" >&2; exit 1; }
