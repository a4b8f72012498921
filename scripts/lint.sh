#!/usr/bin/env bash
# `make lint`: OCA's 18.0 pre-commit set (.pre-commit-config.yaml) on every file of the
# repository, checking only (no file changes; `make format` applies the fixers). Needs the
# tools venv and Node.js, not PostgreSQL nor the Odoo source. Extra arguments reach
# `pre-commit run`, e.g. `bash scripts/lint.sh pylint_odoo`.
set -euo pipefail
. "$(dirname "$0")/tools.sh"
exec pre-commit run --all-files --show-diff-on-failure --color=auto "$@"
