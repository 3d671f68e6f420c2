# Xiangyi — make run / make test bootstrap everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEB_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
	libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0 fonts-noto-cjk \
	poppler-utils postgresql gcc g++ binutils
LOCALES := xiangyi/locale

.PHONY: run test debs venv translations update-messages lint bench clean assets dist dist-county

$(STAMP): pyproject.toml
	$(MAKE) debs
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dist]'
	touch $(STAMP)

venv: $(STAMP)

# Install the Debian libraries Qt needs, only when some are missing.
debs:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Missing Debian packages (install them as root):$$missing"; fi; \
	fi

translations: $(STAMP)
	$(PY) -m babel.messages.frontend compile -d $(LOCALES) -D xiangyi --statistics 2>&1 | tail -n 2

# Re-extract strings and merge them into the catalogues; lists what needs translating.
update-messages: $(STAMP)
	$(PY) scripts/i18n_sync.py

run: translations
	$(VENV)/bin/xiangyi

test: debs translations
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Rebuild the synthetic images and signals of the built-in content (byte for byte).
assets: $(STAMP)
	$(PY) -m case_bank.generators

bench: translations
	$(PY) benchmarks/startup.py

# Release builds come from their own environment, .venv-dist: the same packages as .venv
# but numpy compiled without OpenBLAS (27 MiB of matrix kernels the app never needs) and
# without extra SIMD variants beyond the baseline (5 MiB); about 4 minutes to compile
# whenever this environment is made. See packaging/README.md.
DIST_VENV := .venv-dist
DIST_PY := $(DIST_VENV)/bin/python
DIST_STAMP := $(DIST_VENV)/.installed
NUMPY_SMALL := -Csetup-args=-Dblas=none -Csetup-args=-Dlapack=none \
	-Csetup-args=-Dallow-noblas=true -Csetup-args=-Dcpu-dispatch=none

$(DIST_STAMP): pyproject.toml
	$(MAKE) debs
	test -x $(DIST_PY) || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PY) -m pip install --quiet --upgrade pip
	$(DIST_PY) -m pip install --quiet -e '.[dist]'
	# --no-cache-dir: pip's wheel cache does not tell builds with other options apart
	version=$$($(DIST_PY) -c 'import numpy; print(numpy.__version__)'); \
	$(DIST_PY) -m pip install --quiet --no-cache-dir --force-reinstall --no-deps \
		--no-binary numpy $(NUMPY_SMALL) "numpy==$$version"
	touch $(DIST_STAMP)

# The one-folder app for clinic PCs in dist/xiangyi, self-tested (PyInstaller);
# dist-county: the county hub's, with the PostgreSQL driver, in dist/xiangyi-county.
dist: $(DIST_STAMP)
	$(DIST_PY) packaging/build.py --check

dist-county: $(DIST_STAMP)
	$(DIST_PY) packaging/build.py --edition county --check

clean:
	rm -rf $(VENV) $(DIST_VENV) build dist *.egg-info
