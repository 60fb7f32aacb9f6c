# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EXAMPLE ?= examples/default.scm

.PHONY: run test lint host-deps bench bytecode clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

# Start-up time matters (`vsys run` is held to 150 ms): keep bytecode current even where
# PYTHONDONTWRITEBYTECODE is set, since Python still reads .pyc files it did not write.
bytecode:
	$(PY) -m compileall -q dsl stdlib builders vsys

# Build the default example and activate it into the sandbox root of the state directory.
run: $(STAMP)
	$(VENV)/bin/vsys reconfigure $(EXAMPLE)

# Host programs the tests drive (QEMU, mcron, OpenSSH, Guile...), installed with apt when
# we can; scripts/host-deps reports what is missing otherwise.
host-deps:
	bash scripts/host-deps install

# Style and the import contracts first (seconds), then the suite.
test: $(STAMP)
	bash scripts/host-deps check-or-install
	$(MAKE) --no-print-directory lint
	$(VENV)/bin/pytest -n auto -q

# Style (ruff) and the import contracts in pyproject.toml (import-linter). The contracts are
# checked on an installed copy: only there are dsl/, stdlib/ and builders/ the packages
# vsys.dsl, vsys.stdlib and vsys.builders. Both run; either failing fails the target.
lint: $(STAMP)
	rm -rf build/lint build/lib    # build/lib keeps files the tree no longer has
	$(PY) -m pip install -q --no-deps --target build/lint .
	status=0; $(VENV)/bin/ruff check . || status=1; \
	(cd build/lint && PYTHONPATH=. ../../$(VENV)/bin/lint-imports --no-cache ../../pyproject.toml) \
	  || status=1; exit $$status

bench: $(STAMP) bytecode
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
