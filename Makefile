# Tracker Desktop: every set-up step lives here so a fresh clone needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck imports pytest contract bench practice sandbox screenshots bundle lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"

# Reinstall only when the dependency list or the lock changes.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tracker-desktop

practice: $(STAMP)
	$(BIN)/tracker-desktop --practice

sandbox: $(STAMP)
	$(BIN)/python -m tracker_desktop.sandbox --port 12111

lint: $(STAMP)
	$(BIN)/ruff check tracker_desktop tests
	$(BIN)/ruff format --check tracker_desktop tests

typecheck: $(STAMP)
	$(BIN)/mypy

imports: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck imports pytest

# The gateway's contract suite against real Stripe test mode, before a release:
#   STRIPE_TEST_SECRET_KEY=sk_test_... make contract
# Without the key every test is skipped and says why.
contract: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest tests/gateway/test_gateway_contract.py -m stripe_live -rs $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tracker_desktop.bench $(BENCH)

screenshots: $(STAMP)
	$(BIN)/python -m tracker_desktop.app.screenshots docs/screenshots $(ARGS)

# A onedir bundle in dist/ for this platform (run it on Windows or macOS to package for them).
bundle: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev,bundle]"
	$(BIN)/pyinstaller --noconfirm build.spec
	QT_QPA_PLATFORM=offscreen dist/tracker-desktop/tracker-desktop --self-test

lock: $(BIN)/python
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Exact versions of every runtime and development dependency (pip constraints file).\n# Regenerate with: make lock' > requirements.lock

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
