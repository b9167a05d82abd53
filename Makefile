# Two entry points for a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck pytest bench samples-batch clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh $(VENV)
	touch $(STAMP)

demo: setup
	$(VENV)/bin/palaute demo --out demo-output

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check forms scanner palaute samples tests benchmarks

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup
	$(PY) -m pytest -n 2 -q

test: lint typecheck pytest

bench: setup
	$(PY) benchmarks/run_all.py

# The small filled-scan batch bundled for the demo (deterministic; rerun after changing the seed form).
samples-batch: setup
	$(PY) -m samples.bundle

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache
