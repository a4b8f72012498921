# Sourced by lint.sh, format.sh and readme.sh: the lint and readme tools in their own venv,
# .cache/tools-venv (pinned in scripts/tools-requirements.txt; the hooks' tools are pinned in
# .pre-commit-config.yaml and installed by pre-commit under .cache/pre-commit). Needs only
# Python >= 3.10, and Node.js + npm for prettier and ESLint: no PostgreSQL, no Odoo source.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TOOLS_VENV="$ROOT/.cache/tools-venv"
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$ROOT/.cache/pre-commit}"
tools_log() { printf '[tools] %s\n' "$*" >&2; }
tools_py=""
for cand in python3.11 python3.12 python3 python3.10; do
    if command -v "$cand" >/dev/null \
        && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 10))' 2>/dev/null; then
        tools_py="$(command -v "$cand")"; break
    fi
done
[ -n "$tools_py" ] || { tools_log "ERROR: Python >= 3.10 is required"; exit 1; }
command -v npm >/dev/null || tools_log "WARNING: npm is missing: the prettier and ESLint hooks need Node.js (Debian: apt-get install nodejs npm)"
tools_stamp="$(cat scripts/tools-requirements.txt; "$tools_py" -c 'import sys; print(sys.base_prefix, sys.version)')"
tools_stamp="$(printf '%s' "$tools_stamp" | sha256sum | cut -c1-16)"
if [ "$(cat "$TOOLS_VENV/.itims-stamp" 2>/dev/null)" != "$tools_stamp" ]; then
    tools_log "building $TOOLS_VENV"
    mkdir -p "$ROOT/.cache"
    rm -rf "$TOOLS_VENV"
    "$tools_py" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/pip" install -r scripts/tools-requirements.txt > "$ROOT/.cache/tools-pip.log" 2>&1 || {
        tail -n 30 "$ROOT/.cache/tools-pip.log" >&2; tools_log "ERROR: pip install failed"; exit 1; }
    echo "$tools_stamp" > "$TOOLS_VENV/.itims-stamp"
fi
export PATH="$TOOLS_VENV/bin:$PATH"
unset VIRTUAL_ENV
