# Two entry points, both from a fresh clone (see README.md):
#   make demo   install, ingest a sample of ../shared/data/council, serve on http://127.0.0.1:8000/
#   make test   install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
COUNCIL ?= ../shared/data/council
DEMO_DATA ?= demo-data

.PHONY: install demo ingest-demo serve browser test test-fast

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: 2.13.0 is a local CPU build; an unpinned torch pulls gigabytes of CUDA
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[all,onnx,ray,test]'
	touch $@

install: $(BIN)/.installed

ingest-demo: install
	$(BIN)/ratsuche --data-dir $(DEMO_DATA) ingest $(COUNCIL)/nordstemmen --limit 300
	$(BIN)/ratsuche --data-dir $(DEMO_DATA) ingest $(COUNCIL)/ahnsen $(COUNCIL)/erlangen ../shared/data/seed
	$(BIN)/ratsuche --data-dir $(DEMO_DATA) stats

serve: install
	$(BIN)/ratsuche --data-dir $(DEMO_DATA) serve

demo: ingest-demo serve

browser:
	# the browser tests drive Debian's chromium (never a downloaded browser)
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

test: install browser
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest tests/unit
