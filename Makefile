VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
PORT ?= 8001

.PHONY: demo test build bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

db/quotes.db: $(VENV)/.installed $(wildcard seeds/*)
	$(VENV)/bin/quotes build seeds --db db/quotes.db

build: db/quotes.db

demo: db/quotes.db
	$(VENV)/bin/quotes serve --db db/quotes.db --port $(PORT)

test: $(VENV)/.installed
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

clean:
	rm -rf db/quotes.db $(VENV)
