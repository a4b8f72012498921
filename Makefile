# ITIMS for Odoo: the whole setup is `make run` (serve) and `make test` (every test).
# The addons are the directories holding a __manifest__.py (scripts/common.sh lists them the
# same way); `make lint`, `make format` and `make readme` need neither PostgreSQL nor Odoo.

.PHONY: bootstrap run test bench lint format readme pot screenshots clean
bootstrap:
	@bash scripts/bootstrap.sh

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh

lint:
	@bash scripts/lint.sh

format:
	@bash scripts/format.sh

readme:
	@bash scripts/readme.sh

pot:
	@bash scripts/pot.sh

screenshots:
	@bash scripts/screenshots.sh

clean:
	@bash scripts/clean.sh
