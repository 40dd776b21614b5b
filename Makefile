# The virtualenv is built once (a stamp file) and rebuilt when pyproject.toml changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?=
SERVE_ARGS ?=
# Without BASE_URL, `make conformance` checks the mock `make serve` starts (same HOST and PORT)
# and, on the mock's fixtures, a second tenant too.
ifeq ($(origin BASE_URL),undefined)
BASE_URL = http://$(HOST):$(PORT)/api/v1
OTHER_TENANT ?= acme
endif
TOKEN ?= demo-admin-key
TENANT ?=
OTHER_TENANT ?=
KIT_ARGS ?=
BENCH_ARGS ?=
# Test files run in this many processes, each file whole in one (its servers and kit runs are
# shared by its tests); more than the 2 cores, since many tests wait on servers and kits.
TEST_WORKERS ?= 3

.PHONY: install serve test conformance bench bench-peers clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=70.1"  # tests/packaging builds the wheel offline
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: install
	$(BIN)/python -m handlers.serve --host $(HOST) --port $(PORT) $(if $(DATA),--data $(DATA)) $(SERVE_ARGS)

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The admin key reaches the kit through its environment, never its command line: it shows
# neither in make's output nor in the process list. make turns any failing recipe into exit 2,
# so the kit's own exit code is printed (0 conforms, 1 does not conform, 2 incomplete).
KIT_COMMAND = $(BIN)/syft-conformance --base-url $(BASE_URL) $(if $(TENANT),--tenant $(TENANT)) \
	$(if $(OTHER_TENANT),--other-tenant $(OTHER_TENANT)) $(KIT_ARGS)

conformance: export SYFT_CONFORMANCE_TOKEN = $(TOKEN)
conformance: install
	@echo '$(KIT_COMMAND)   # admin key from TOKEN, passed as SYFT_CONFORMANCE_TOKEN'
	@status=0; $(KIT_COMMAND) || status=$$?; \
		echo "syft-conformance exit code: $$status"; exit $$status

# Benchmarks print tables; they assert nothing. HTTP cells need wrk, bench-peers also npm.
bench: install
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

bench-peers: install
	$(BIN)/python -m tests.bench.peers $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
