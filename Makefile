# `make run` lints the bundled example; `make test` runs the whole suite; `make bench`
# runs the benchmark (benchmarks/run.py); `make demo-live` runs the live commands against a
# local AWS emulator.
# Both build their own virtualenv (.venv) from pyproject.toml first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench demo-live clean

$(BIN)/tf-apigw-lint: pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The example is meant to have findings: the linter's exit code 1 is the expected result
# there; anything else (0, or 2 for an error) fails `make run`.
run: $(BIN)/tf-apigw-lint
	$(BIN)/tf-apigw-lint examples/; test $$? -eq 1

# live, drift and doctor against a local AWS emulator (moto, from the test extra): offline.
demo-live: $(BIN)/tf-apigw-lint
	$(BIN)/python examples/live/demo.py

test: $(BIN)/tf-apigw-lint
	$(BIN)/python -m pytest -q

# Generates the synthetic monorepo (once, in the temporary directory) and measures it.
bench: $(BIN)/tf-apigw-lint
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV)
