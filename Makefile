# Enturf: `make run` starts the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The tested dependency set: requirements/lock-py3.X.txt, pinned with hashes, one per
# Python version, resolved on Linux (docs/dependencies.md).
LOCKS      := $(wildcard requirements/lock-py*.txt)
LOCK_ARGS  ?=
PY_VERSION := import sys; print("%d.%d" % sys.version_info[:2])

.PHONY: run test schemathesis lint format venv lock audit clean dist dist-test wheel

venv: $(STAMP)  ## create .venv and install Enturf with its test tools (the locked set)

$(STAMP): pyproject.toml $(LOCKS)
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@lock=requirements/lock-py$$($(BIN)/python -c '$(PY_VERSION)').txt; \
	if [ "$$(uname -s)" = Linux ] && [ -f "$$lock" ]; then \
		echo "installing the tested set from $$lock"; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$$lock" \
		&& $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	else \
		echo "no $$lock for this system: installing the newest versions pyproject.toml allows"; \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dist]'; \
	fi
	touch $(STAMP)

run: $(STAMP)  ## the demo: server on SQLite with demo data, card-gateway simulator, POS window
	$(BIN)/python -m enturf_demo

test: $(STAMP)  ## the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

schemathesis: $(STAMP)  ## the long API fuzz: every operation, 50 valid and 50 invalid requests, each as every role
	ENTURF_SCHEMATHESIS_EXAMPLES=$${ENTURF_SCHEMATHESIS_EXAMPLES:-50} QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest tests/server/api/test_schemathesis.py -q

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff's fixes and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock:  ## re-resolve requirements/lock-py3.X.txt for LOCK_PYTHONS (LOCK_ARGS=--upgrade: newest pins)
	requirements/locks.sh lock $(LOCK_ARGS)

audit:  ## pip-audit each lock file against PyPI's vulnerability data (needs internet access)
	requirements/locks.sh audit

clean:  ## remove the virtualenvs, local demo data and the builds (dist/, build/)
	rm -rf $(VENV) .venv-tools var dist build

dist: $(STAMP)  ## the packaged counter: dist/enturf-pos/ and dist/enturf-pos-<version>-<platform>.tar.gz (PyInstaller)
	$(BIN)/python packaging/build_dist.py

wheel: $(STAMP)  ## the one distribution (server, POS, core) as dist/enturf-<version>-py3-none-any.whl
	rm -rf build/lib build/bdist.* enturf.egg-info  # setuptools would reuse stale copies
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
		--wheel-dir dist .
	rm -rf build/lib build/bdist.* enturf.egg-info
	@ls dist/enturf-*-py3-none-any.whl

dist-test: dist wheel  ## build both, then run tests/packaging/ against the builds (not part of `make test`)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/packaging -q
