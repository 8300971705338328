#!/usr/bin/env bash
# Prepares a Debian machine for Labinov: system packages (when missing), the virtual
# environment in .venv, the Python packages, the compiled message catalogs.
#   infra/bootstrap.sh          what ./run needs
#   infra/bootstrap.sh --dev    plus the test tools and Chromium (./test)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v python3 >/dev/null && python3 -c "import ensurepip, venv" 2>/dev/null \
  || missing+=(python3 python3-venv)
if (( dev )) && [[ ! -x /usr/bin/chromium ]]; then missing+=(chromium); fi
# WeasyPrint (the demo's PDFs) lays text out with Pango; DejaVu is the documents' font.
for lib in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "ok installed" || missing+=("$lib")
done

if (( ${#missing[@]} )); then
  if [[ $EUID -ne 0 ]]; then
    echo "Missing system packages: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  python3 -m venv .venv
fi

# The exact versions and their hashes come from the lock files (made from pyproject.toml by
# `uv pip compile`, see the README); reinstall only when a lock changed (pip takes seconds
# even with nothing to do).
lock="requirements$( (( dev )) && echo "-dev" || true ).lock"
stamp=".venv/.installed-${lock%.lock}"
want="$(cat pyproject.toml "$lock" | sha256sum | cut -d' ' -f1)"
if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "==> pip install -r $lock"
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q --require-hashes -r "$lock"
  .venv/bin/pip install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

if compgen -G "i18n/*/LC_MESSAGES/messages.po" >/dev/null; then
  .venv/bin/pybabel compile -d i18n -D messages
fi
