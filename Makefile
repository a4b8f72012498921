# ITIMS for Odoo: the whole setup is `make run` (serve) and `make test` (every test).
ADDONS := helpdesk_itims helpdesk_itims_telegram helpdesk_itims_chatbot helpdesk_itims_kpi

.PHONY: bootstrap run test lint clean
bootstrap:
	@bash scripts/bootstrap.sh

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

lint: bootstrap
	@. .cache/env && ruff format --check $(ADDONS) tests bench scripts && ruff check --no-fix $(ADDONS) tests bench scripts conftest.py \
		&& pylint --rcfile=.pylintrc-mandatory $(ADDONS)

# stops the project-local PostgreSQL (if bootstrap started one) before deleting its data
clean:
	@if [ -f .cache/env ]; then . .cache/env; if [ -n "$${ITIMS_PGDATA:-}" ] && [ -f "$$ITIMS_PGDATA/postmaster.pid" ]; then \
		pgc="$$(command -v pg_ctl)"; [ "$$(id -u)" = 0 ] && pgc="runuser -u nobody -- $$pgc"; \
		(cd / && $$pgc -D "$$ITIMS_PGDATA" -m fast -w stop >/dev/null); fi; \
		case "$${ITIMS_PGDATA:-}" in /var/lib/itims-pg/*) rm -rf "$$(dirname "$$ITIMS_PGDATA")";; esac; fi
	rm -rf .venv .cache
