# The two commands a newcomer types (see README):
#   make run    install, build the graph, print its stats, answer example queries, write the network page
#   make test   install (with the test extra and Chromium for the browser test) and run the tests
#   make notebooks   install the notebook extra (JupyterLab, jupytext) and open notebooks/ in it
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test install install-test browser lint bench clean docs notebooks notebooks-outputs mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install install-test: $(VENV)/.installed

# Chromium drives the browser test of the network page; install it where we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser test ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium is missing; the browser test will be skipped (sudo apt-get install chromium)"; fi; }

run: $(VENV)/.installed
	$(BIN)/copgraph build
	$(BIN)/copgraph stats
	$(BIN)/copgraph query partners-of --param org=itu
	$(BIN)/copgraph query outputs-by-country
	$(BIN)/copgraph query speakers --param session=opening
	$(BIN)/copgraph viz -o $(OUT)/network.html --png $(OUT)/network.png

test: $(VENV)/.installed browser
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check copgraph tests benchmarks notebooks
	$(BIN)/ruff format --check copgraph tests benchmarks notebooks

$(VENV)/.notebook: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,notebook]'
	touch $@

# JupyterLab on notebooks/ (each .ipynb is paired with its .py by jupytext: edit either)
# (trusted first: JupyterLab hides the committed HTML outputs, the network page among them,
# of a notebook it does not trust)
notebooks: $(VENV)/.notebook
	$(BIN)/jupyter trust notebooks/*.ipynb
	cd notebooks && ../$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

# re-execute every notebook from its .py pair and commit the outputs (the tests compare them)
notebooks-outputs: $(VENV)/.installed
	$(BIN)/python -m tests.notebooks

# the ontology's pages (pyLODE) and class diagram, into docs/ontology/; the README's
# catalog table, query examples and network figures, from the code and data
docs: $(VENV)/.installed
	$(BIN)/python -m copgraph.ontology_docs docs/ontology
	$(BIN)/python -m copgraph.docs

$(VENV)/.dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@

# mutation testing of the core modules against the unit tests (tests/mutation.py; not in
# CI: about an hour and a half here); prints killed/total per module (README "How good are
# the tests"); MUTATION_RESUME=1 reruns only the mutants not yet killed
mutation: $(VENV)/.dev
	$(BIN)/python -m tests.mutation

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/stores.py
	$(BIN)/python benchmarks/queries.py

clean:
	rm -rf data/build $(OUT) .pytest_cache mutants
