# The two commands: `make run` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# where a CPU torch wheel may be (see the semantic extra in pyproject.toml)
WHEELS ?= /opt/wheels

.PHONY: run test lint bench clean chromium cjk-fonts screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench,postgres]'
	# google-reader 0.0.3 declares Python >= 3.12 but runs on 3.11
	$(BIN)/pip install -q --no-deps --ignore-requires-python google-reader==0.0.3
	# The semantic extra only from a local CPU torch wheel, given by path so pip never takes
	# torch from PyPI (its Linux wheels pull gigabytes of CUDA); without one its model tests skip.
	@tag=$$($(BIN)/python -c 'import sys; print("cp%d%d" % sys.version_info[:2])'); \
	wheel=$$(ls $(WHEELS)/torch-*+cpu-$$tag-*.whl 2>/dev/null | tail -n 1); \
	if [ -n "$$wheel" ]; then $(BIN)/pip install -q "$$wheel" -e '.[semantic]'; \
	else echo "no CPU torch wheel for $$tag in $(WHEELS): semantic extra not installed"; fi
	touch $@ $(VENV)/.installed

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# CJK headlines in the screenshots need a font that has them
cjk-fonts:
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { \
	  echo "installing Debian's fonts-noto-cjk for the screenshots"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }

# the README's pictures, over the fixture sites and a Japanese and a Chinese outlet
screenshots: $(VENV)/.test-installed chromium cjk-fonts
	$(BIN)/python -m tests.web.showcase docs/images

run: $(VENV)/.installed
	$(BIN)/newsdesk up

test: $(VENV)/.test-installed chromium
	$(BIN)/python -m pytest -q --numprocesses auto --dist loadfile

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
