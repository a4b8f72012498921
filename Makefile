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

clean:
	@bash scripts/clean.sh
