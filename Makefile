# One command per action; `make run` and `make test` do all the setup on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)


.PHONY: install node-deps run test lint deps format typecheck check bench bench-short soak docker-check demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	# the official Python SDK: --no-deps skips its pyaudio C build (only its microphone helper needs it)
	$(BIN)/python -m pip install -q --no-deps symbl==2.0.6
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Node SDK harness for the streaming/telephony end-to-end tests (skipped locally when node is missing; CI
# installs node, and a skipped test fails there).
tests/sdk_js/node_modules/.package-lock.json: tests/sdk_js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/sdk_js --no-audit --no-fund --loglevel=error; fi

node-deps: tests/sdk_js/node_modules/.package-lock.json

install: $(STAMP)

run: install ## serve on :8080 (Labs on :8081) with the embedded SQLite default
	$(BIN)/mock-symbl

test: install node-deps ## the whole suite (what CI runs)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install deps
	$(BIN)/ruff check mock_symbl tests bench
	$(BIN)/ruff format --check mock_symbl tests bench
	$(BIN)/lint-imports

# What is imported is declared, and what is declared is imported: the package against the runtime
# dependencies, then the tests, benchmarks and scripts against runtime + dev ([tool.deptry] in pyproject.toml).
deps: install
	$(BIN)/deptry . --exclude 'tests|bench|scripts|\.venv|build|node_modules' --pep621-dev-dependency-groups dev
	$(BIN)/deptry tests bench scripts --exclude '\.venv|build|node_modules' --ignore DEP002,DEP004

format: install
	$(BIN)/ruff format mock_symbl tests bench
	$(BIN)/ruff check --fix mock_symbl tests bench

typecheck: install
	$(BIN)/mypy mock_symbl

check: lint typecheck test

bench: install
	$(BIN)/python -m bench

# CI's form of the benchmarks: every module scaled down to seconds, figures printed, nothing judged or written
bench-short: install
	$(BIN)/python -m bench --short

soak: install
	MOCK_SYMBL_SOAK=1 $(BIN)/python -m pytest -q tests/reliability

docker-check:
	bash scripts/docker-check.sh

demo: install
	$(BIN)/mock-symbl demo

clean:
	rm -rf $(VENV) data .pytest_cache build dist *.egg-info
