# Everything a fresh Debian machine with Python 3.11 needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test deps system-deps bench conformance clean tables

# The editable install in compat mode: the project's path in a .pth, not an import hook that
# every Python start runs (9 ms); a setuptools without that mode gets the default one.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]' --config-settings editable_mode=compat 2>/dev/null \
	  || $(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

deps: $(STAMP)

# Test-only tools: the reference lua5.4 (differential tests), nmap (comparisons), nftables and
# iproute2 (network-namespace scan tests), openssl (TLS test certificates), xmllint (libxml2-utils)
# and ndiff (the -oX output is read back by the tools nmap users run). Needs root; without
# it the tests that need them are skipped with the reason.
SYSTEM_TOOLS := lua5.4 nmap nft ip openssl xmllint ndiff
SYSTEM_PACKAGES := lua5.4 nmap nftables iproute2 openssl libxml2-utils ndiff
system-deps:
	@missing=0; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	if [ $$missing = 1 ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "note: some of $(SYSTEM_TOOLS) missing and not root: tests needing them are skipped"; fi; \
	fi

# The main job: a real scan of this machine (every TCP port, service detection).
# Byte-compiled first, as an installed wheel is (with PYTHONDONTWRITEBYTECODE set nothing else
# writes the .pyc files, and every run would compile the sources again); up-to-date files are skipped.
run: deps
	@$(BIN)/python -m compileall -q prtip luavm >/dev/null
	$(BIN)/prtip -sV -p- 127.0.0.1 --plugin banner-analyzer,ssl-checker,scan-statistics

test: deps system-deps
	$(BIN)/pytest

bench: deps system-deps
	$(BIN)/python bench/run.py

# prtip/data's port tables from the installed nmap's nmap-services (the version goes in each file's header)
NMAP_SERVICES ?= /usr/share/nmap/nmap-services
tables:
	$(PY) tools/build_port_tables.py $(NMAP_SERVICES)

clean:
	rm -rf $(VENV) .pytest_cache
