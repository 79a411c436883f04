# Set-up and the two commands of the README's quick start. Everything is idempotent.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SYSSTAMP:= $(VENV)/.system
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: chromium for the browser tests, a CJK font for PDF reports,
# poppler-utils (pdftoppm) to rasterise PDFs in tests.
DEBS    := chromium fonts-noto-cjk poppler-utils

.PHONY: install system demo test lint typecheck bench clean fuzz

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m tanjiliang.data.warm  # compile the readings kernel once (issue 16)
	$(BIN)/python -c 'import tanjiliang.units'  # parse pint's unit definitions once (units/cache.py)
	$(BIN)/python -m compileall -q src/tanjiliang >/dev/null  # byte code, also where none is written at run time (PYTHONDONTWRITEBYTECODE)
	@touch $(STAMP)

$(SYSSTAMP):
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $(SYSSTAMP)

install: $(STAMP) $(SYSSTAMP)

system: $(SYSSTAMP)

demo: install
	$(BIN)/tanjiliang demo

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/tanjiliang/units src/tanjiliang/model src/tanjiliang/rules src/tanjiliang/emissions src/tanjiliang/metrology src/tanjiliang/equipping src/tanjiliang/assess src/tanjiliang/plan
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2  # both cores: 6 min instead of 11.6 (README)

# The readers' fuzzers run longer (issue 18; docs/security.md "Fuzzing"): FUZZ=20000 for more.
FUZZ    ?= 3000
fuzz: install
	TANJILIANG_FUZZ_EXAMPLES=$(FUZZ) $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz

lint: install
	$(BIN)/ruff check src tests benchmarks

bench: install
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
