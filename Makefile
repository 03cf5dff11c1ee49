# Waypoint: `make run` to use it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Re-install when the lock changes (the stamp's name carries the lock's hash).
LOCK_HASH := $(shell cat requirements/lock.txt pyproject.toml | sha256sum | cut -c1-12)
STAMP  := $(VENV)/.installed-$(LOCK_HASH)
export TQDM_DISABLE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

.PHONY: help run test install train lint validate browser clean

help:
	@echo "make run    - set up, train if needed, start Waypoint on localhost, print the URLs"
	@echo "make test   - set up, train if needed, run the whole test suite"
	@echo "make lint   - ruff"
	@echo "make train  - train the model if the data or config changed"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements/lock.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check pip==24.3.1
	$(PY) -m pip install --quiet -r requirements/lock.txt
	@# Rasa 3.6 declares Python <3.11 but runs on 3.11: see README, "Why Rasa is installed this way".
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser: node_modules/.installed
	@sh scripts/ensure-chromium.sh

train: install
	$(PY) -m bot.cli train

run: install train
	$(PY) -m bot.cli run

lint: install
	$(PY) -m ruff check .

test: install train browser
	$(PY) -m ruff check .
	$(PY) -m pytest

clean:
	rm -rf $(VENV) models node_modules .pytest_cache .ruff_cache .cache
