# Enturf: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test schemathesis lint format venv clean

venv: $(STAMP)  ## create .venv and install Enturf with its test tools

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## the demo: server on SQLite with demo data, card-gateway simulator, POS window
	$(BIN)/python -m enturf_server.demo

test: $(STAMP)  ## the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

schemathesis: $(STAMP)  ## the long API fuzz: every operation, 50 valid and 50 invalid requests, each as every role
	ENTURF_SCHEMATHESIS_EXAMPLES=$${ENTURF_SCHEMATHESIS_EXAMPLES:-50} QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest tests/server/test_schemathesis.py -q

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff's fixes and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## remove the virtualenv and local demo data
	rm -rf $(VENV) var
