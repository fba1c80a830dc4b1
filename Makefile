# aws-agent: `make run` starts the REPL, `make test` runs every test. Both install what they need.
CARGO ?= cargo
WASM_TARGET := wasm32-wasip2
WASM_OUT := target/$(WASM_TARGET)/release
BIN := target/release/aws-agent

PLUGINS := $(notdir $(wildcard plugins/*))
TEST_PLUGINS := $(notdir $(wildcard tests/plugins/*))
# Plugins that lie in their spec are refused at load, so they get a folder of their own.
LYING_PLUGINS := $(filter lying-%,$(TEST_PLUGINS))
EXAMPLE_PLUGINS := $(notdir $(wildcard examples/*))

.PHONY: all build run test plugin-cases bench bench-hostile toolchain plugins test-plugins simulator catalog clean links lint eval-llm

all: build

# Toolchain files do not auto-install targets here, so add the wasm target explicitly.
toolchain:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)

# Each plugin crate builds to a component; copy it under its intent's name.
plugins: toolchain
	$(CARGO) build --release --target $(WASM_TARGET) $(addprefix -p plugin-,$(PLUGINS))
	@mkdir -p target/plugins
	@for p in $(PLUGINS); do cp $(WASM_OUT)/plugin_$$(echo $$p | tr - _).wasm target/plugins/$$p.wasm; done

# Deliberately broken components for the sandbox tests (the ones that lie in their spec apart),
# and example plugins that are not built in.
test-plugins: toolchain
	$(CARGO) build --release --target $(WASM_TARGET) $(addprefix -p test-plugin-,$(TEST_PLUGINS)) $(addprefix -p plugin-,$(EXAMPLE_PLUGINS))
	@mkdir -p target/test-plugins target/lying-plugins target/example-plugins
	@for p in $(filter-out $(LYING_PLUGINS),$(TEST_PLUGINS)); do cp $(WASM_OUT)/test_plugin_$$(echo $$p | tr - _).wasm target/test-plugins/$$p.wasm; done
	@for p in $(LYING_PLUGINS); do cp $(WASM_OUT)/test_plugin_$$(echo $$p | tr - _).wasm target/lying-plugins/$$p.wasm; done
	@for p in $(EXAMPLE_PLUGINS); do cp $(WASM_OUT)/plugin_$$(echo $$p | tr - _).wasm target/example-plugins/$$p.wasm; done

build: plugins
	$(CARGO) build --release -p aws-agent

# The local AWS simulator the host starts on first deploy, and the clients the tests judge with:
# the aws CLI, the official MCP Python SDK for `aws-agent mcp`, and the judges of exported
# templates: cfn-lint (CloudFormation) and python-hcl2 (Terraform's HCL).
# A stamp names the pinned versions, so a venv from before a bump is brought up to date.
MOTO := .venv/.pinned-moto-5.2.5-awscli-1.46.3-mcp-2.3.0-cfnlint-1.58.0-hcl2-8.1.4
$(MOTO):
	python3 -m venv .venv
	.venv/bin/pip install --quiet 'moto[server]==5.2.5' 'awscli==1.46.3' 'mcp==2.3.0' 'cfn-lint==1.58.0' 'python-hcl2==8.1.4'
	touch $@

simulator: $(MOTO)

run: build $(MOTO)
	$(BIN)

# Links between the docs, checked offline (web addresses are not fetched): every file and
# heading a document points to exists.
DOCS := README.md ARCHITECTURE.md BENCHMARKS.md data/SOURCE.md tests/eval/README.md tests/fixtures/README.md
LINKCHECK := .tools/node_modules/.bin/markdown-link-check
$(LINKCHECK):
	npm install --silent --no-audit --no-fund --prefix .tools markdown-link-check@3.15.0

links: $(LINKCHECK)
	$(LINKCHECK) --quiet --config .markdown-link-check.json $(DOCS)

# rustfmt's house style (rustfmt.toml), clippy with warnings denied over every crate and
# target (plugins are linted natively, as their unit tests run), no import circles between the
# host's modules, and the docs' links.
lint: links
	python3 tests/import_cycles.py
	python3 tests/llm/make_subset.py --check
	$(CARGO) fmt --all --check
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

# Tests use the release profile so wasmtime is compiled once for build and test.
test: lint build test-plugins $(MOTO) plugin-cases
	$(CARGO) test --release --workspace

# Every built-in (and example) plugin's case file, run against its real component.
plugin-cases: build test-plugins
	@set -e; for p in $(PLUGINS); do $(BIN) plugins test target/plugins/$$p.wasm plugins/$$p/cases.toml; done
	@set -e; for p in $(EXAMPLE_PLUGINS); do $(BIN) plugins test target/example-plugins/$$p.wasm examples/$$p/cases.toml; done

# Medians of start-up, routing, plugin calls and find-cheapest; see BENCHMARKS.md.
bench: build
	$(CARGO) bench -p aws-agent --bench hot_paths

# What the user sees from each hostile test plugin, and how long stopping or refusing it takes.
bench-hostile: build test-plugins
	$(CARGO) bench -p aws-agent --bench hostile

# A real model in the loop: builds llama.cpp and fetches a 0.5 GB model (MODEL=1.5b: 1.1 GB)
# into .tools/llm once, then measures every backend setting on tests/eval/llm-subset.jsonl.
# Not part of `make test`; see tests/llm/eval_llm.py and BENCHMARKS.md.
eval-llm: build $(MOTO)
	AWS_AGENT_BIN=$(BIN) python3 tests/llm/eval_llm.py

# Regenerates data/ from the pinned public packages (needs PyPI).
catalog:
	data/refresh.sh

clean:
	$(CARGO) clean
