#!/usr/bin/env bash
# `make format`: the auto-fixers of the pre-commit set (ruff --fix, ruff format, prettier
# with plugin-xml, eslint --fix, whitespace and line endings) on every file, then the list
# of files they changed. Review and commit the result.
set -euo pipefail
. "$(dirname "$0")/tools.sh"
pre-commit run --all-files --hook-stage manual "$@" || true
git status --short
