#!/usr/bin/env bash
# `make readme`: each addon's README.rst (and static/description/index.html, what Odoo's Apps
# shows) generated from its readme/ fragments and manifest by OCA's oca-gen-addon-readme.
# OCA/maintainer-tools is not on PyPI: its source is looked for in $OCA_MAINTAINER_TOOLS,
# then /opt/maintainer-tools, then .cache/maintainer-tools, and only then cloned (pinned
# commit) into .cache/maintainer-tools, the way bootstrap finds the Odoo source. It runs from
# the tools venv (click, docutils, jinja2, pypandoc-binary); it is never copied into the repo.
set -euo pipefail
. "$(dirname "$0")/tools.sh"
MT_COMMIT=d4657f8c17a576d0c56c68064e199545ee75db52
MT_URL=https://github.com/OCA/maintainer-tools.git
# where the generated README links to (the manifests' website)
ORG=itims REPO=itims-odoo BRANCH=18.0

mt_ok() { [ -f "$1/tools/gen_addon_readme.py" ]; }
MT=""
for cand in "${OCA_MAINTAINER_TOOLS:-}" /opt/maintainer-tools "$ROOT/.cache/maintainer-tools"; do
    if [ -n "$cand" ] && mt_ok "$cand"; then MT="$cand"; break; fi
done
if [ -z "$MT" ]; then
    [ -z "${OCA_MAINTAINER_TOOLS:-}" ] || { tools_log "ERROR: OCA_MAINTAINER_TOOLS=$OCA_MAINTAINER_TOOLS has no tools/gen_addon_readme.py"; exit 1; }
    MT="$ROOT/.cache/maintainer-tools"
    tools_log "cloning OCA/maintainer-tools ($MT_COMMIT) into $MT"
    rm -rf "$MT"
    git init -q "$MT"
    git -C "$MT" fetch -q --depth 1 "$MT_URL" "$MT_COMMIT"
    git -C "$MT" checkout -q FETCH_HEAD
fi

# every addon of the repository (the directories with a manifest)
args=()
for manifest in "$ROOT"/*/__manifest__.py; do args+=(--addon-dir "$(dirname "$manifest")"); done
PYTHONPATH="$MT${PYTHONPATH:+:$PYTHONPATH}" python -m tools.gen_addon_readme \
    --org-name="$ORG" --repo-name="$REPO" --branch="$BRANCH" "${args[@]}" "$@"
python scripts/readme_digest.py
