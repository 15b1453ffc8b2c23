# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install serve lint format messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/ducha fetchassets
	$(BIN)/ducha collectstatic --noinput -v0   # copied and compressed once, not at each start
	@touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate, load the Tianjin plan with demo data, serve on 127.0.0.1:8000
demo: install
	$(BIN)/ducha migrate --noinput -v0
	$(BIN)/ducha demo
	$(BIN)/ducha serve

serve: install
	$(BIN)/ducha serve

## make test: lint, checks, the whole suite on SQLite and on a temporary PostgreSQL
test: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/test.sh

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages:
	cd ducha && for app in */locale; do (cd $$(dirname $$app) && ../../$(BIN)/ducha makemessages -l zh_Hans -l en --no-obsolete >/dev/null); done
	$(BIN)/ducha compilemessages -v0 --ignore=.venv --ignore=var --ignore=node_modules

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
