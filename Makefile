# The two commands of the README: `make run` and `make test`; the rest are helpers.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
STAMP = $(VENV)/.installed-stamp
NODE_STAMP = node_modules/.installed-stamp

.PHONY: run test install lint bench demo-files clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser libraries the app serves itself (tus-js-client), from npm's registry, never a CDN.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# `make run` shows the demo as of its last day: the demo database keeps the scenario's clock.
# `make run DEMO_NOW=` runs on the real time (LOOKBACK_NOW=real), `make run DEMO_NOW=<ISO time>`
# at that time.
run: install  ## create the database, load the demo district if it is empty, serve
	$(BIN)/lookback init
	$(BIN)/lookback demo --if-empty
	$(if $(filter undefined,$(origin DEMO_NOW)),,LOOKBACK_NOW=$(or $(DEMO_NOW),real)) \
	  $(BIN)/lookback serve

test: install  ## lint, then the whole suite (PostGIS too when LOOKBACK_TEST_DATABASE_URL is set)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist loadscope --durations=40

lint: install
	$(BIN)/ruff check .

bench: install  ## every benchmark, each printing its ratio to a baseline run alongside
	$(BIN)/python benchmarks/run.py

demo-files: install  ## rebuild the demo district files in data/district
	$(BIN)/python data/build_demo.py --out data/district

clean:
	rm -rf $(VENV) var node_modules
