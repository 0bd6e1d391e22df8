# Two commands do everything (see README "Quick start"):
#   make run    set up, create the demo database, start Odoo on :8069
#   make test   set up, fresh test database, install the addon, run the tests
.PHONY: run test stop setup

run: setup
	@tools/run.sh

test: setup
	@tools/test.sh

stop:
	@tools/pg.sh stop

setup:
	@tools/setup.sh
