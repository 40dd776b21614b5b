# The virtualenv is built once (a stamp file) and rebuilt when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?=
SERVE_ARGS ?=
BASE_URL ?= http://127.0.0.1:8080/api/v1
TOKEN ?= demo-admin-key
TENANT ?=
OTHER_TENANT ?=
KIT_ARGS ?=
BENCH_ARGS ?=

.PHONY: install serve test conformance bench bench-peers clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: install
	$(BIN)/python -m handlers.serve --host $(HOST) --port $(PORT) $(if $(DATA),--data $(DATA)) $(SERVE_ARGS)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

conformance: install
	$(BIN)/syft-conformance --base-url $(BASE_URL) --token $(TOKEN) \
		$(if $(TENANT),--tenant $(TENANT)) $(if $(OTHER_TENANT),--other-tenant $(OTHER_TENANT)) $(KIT_ARGS)

# Benchmarks print tables; they assert nothing. HTTP cells need wrk, bench-peers also npm.
bench: install
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

bench-peers: install
	$(BIN)/python -m tests.bench.peers $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
