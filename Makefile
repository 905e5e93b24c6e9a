# The two commands: `make demo` and `make test`. Both set up what they need.
.PHONY: demo test bench lint format messages

demo:  ## Set up, load the demo data and serve it on http://127.0.0.1:8000 (SQLite, no broker)
	scripts/demo

test:  ## Set up and run every check and the whole test suite (PostgreSQL, Redis, Chromium)
	scripts/test

bench:  ## Benchmarks on PostgreSQL at scales 1, 10 and 100: prints them, writes BENCHMARKS.md
	scripts/services
	scripts/venv dev
	.venv/bin/python bench/run.py --scales 1,10,100

lint:  ## ruff and mypy only
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

messages:  ## Refresh the catalogues after changing user-facing strings (needs GNU gettext)
	DEBUG=1 .venv/bin/python manage.py makemessages -l fr -l es --no-obsolete --ignore=.venv
