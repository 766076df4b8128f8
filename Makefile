# Shortcuts over the two set-up commands and manage.py. `make help` lists them.
PY ?= .venv/bin/python
# Where translatable strings are collected from; .venv and other dot-folders are skipped by default.
MESSAGES_IGNORE = --ignore=node_modules --ignore=staticfiles --ignore=var --ignore=htmlcov --ignore=test-results

.PHONY: help demo test bench load messages

help:
	@echo "make demo      quick start: web + worker + beat with demo data (scripts/demo.sh)"
	@echo "make test      the test suite on PostgreSQL + Redis (scripts/test.sh; ARGS='-x tests/ops')"
	@echo "make bench     performance benchmarks (python manage.py bench)"
	@echo "make load      load run: gunicorn + locust at 200,000 tickets (scripts/load.sh; see BENCHMARKS.md)"
	@echo "make messages  update the zh_Hans .po catalogues of every app and locale/, then compile .mo"

demo:
	./scripts/demo.sh

test:
	./scripts/test.sh $(ARGS)

bench:
	$(PY) manage.py bench $(ARGS)

# Not part of `make bench`: it starts gunicorn and needs a database of its own (DATABASE_URL).
load:
	./scripts/load.sh

# makemessages run from the root writes each app's strings to that app's locale/ folder when it has
# one, everything else to the project's locale/ (LOCALE_PATHS).
messages:
	mkdir -p locale
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules
