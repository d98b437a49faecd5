# Tracker Desktop: every set-up step lives here so a fresh clone needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck imports pytest contract bench practice sandbox screenshots bundle lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"

# Reinstall only when the dependency list or the lock changes. Every package comes from the
# lock, checked against its hashes; the project itself is an editable install (which cannot be
# hash-checked) with --no-deps, and pip check fails if pyproject.toml lists what the lock lacks.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
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

# A lean onedir bundle in dist/ for this platform, then its self-test (see README, Installing).
bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec
	QT_QPA_PLATFORM=offscreen dist/tracker-desktop/tracker-desktop --self-test

# One lock for every platform (environment markers pick the Windows and macOS packages), with
# the hashes of every wheel and sdist; versions already in it are kept unless pyproject.toml
# needs others (delete a line to upgrade that package). uv is a tool of this rule only.
UV_VERSION := 0.13.8
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --extra dev --extra bundle --system-certs --custom-compile-command "make lock" \
	  pyproject.toml -o requirements.lock

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
