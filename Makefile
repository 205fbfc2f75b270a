# The two commands: `make run` and `make test`. Everything else is set up by them.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell cat requirements.txt | md5sum | cut -c1-12)
PORT    ?= 8501

.PHONY: run test bench load deps system

run: deps
	$(BIN)/python -m qingxi setup --demo
	@# the notifications worker (qingxi.notify) runs beside the portal and stops with it
	$(BIN)/python -m qingxi worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/streamlit run server.py --server.address=localhost --server.port=$(PORT)

test: deps system
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: deps
	$(BIN)/python -m bench

# Simulated users in headless Chromium against one app process, then two behind nginx (not in `make test`).
load: deps system
	$(BIN)/python -m load

deps: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# Debian packages the tests use: Chromium and a CJK font for the browser tests (never a browser
# download), nginx to check the example proxy config. Installed only when one is missing.
system:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/sbin/nginx ] && fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk'; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei nginx >/dev/null; \
	else echo "NOTICE: Chromium, a CJK font or nginx is missing and cannot be installed here: their tests will be skipped (and fail under CI=true)."; fi
