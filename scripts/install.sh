#!/usr/bin/env bash
# Install what the service needs on a fresh Debian 12 machine (as root) and the Python packages from the
# lock file into .venv. Idempotent: a second run only checks. WITH_DEV=1 (scripts/test.sh sets it) installs
# requirements-dev.lock, the runtime lock plus the test tools; otherwise requirements.lock, the runtime only.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# redis-server: rq's embedded Redis; LibreOffice: letters as PDF (without it letters go out as DOCX).
# fonts-dejavu-core: the generated test invoices print Polish letters and U+202F.
# python3-uno: the warm LibreOffice server (unoserver) runs from /usr/bin/python3 with Debian's uno module.
packages=(python3 python3-venv redis-server libreoffice-writer-nogui fonts-crosextra-carlito fonts-dejavu-core poppler-utils
          python3-uno)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install: missing Debian packages ${missing[*]}; run this script as root" >&2
    exit 1
  fi
  echo "install: apt-get install ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
lock=requirements.lock
[ "${WITH_DEV:-0}" = 1 ] && lock=requirements-dev.lock
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check uv
.venv/bin/uv pip install --python .venv/bin/python -q -r "$lock"
.venv/bin/uv pip install --python .venv/bin/python -q --no-deps -e .
if [ ! -x .venv-uno/bin/unoserver ]; then
  # unoserver's server half must import Debian's uno, which only /usr/bin/python3 has.
  /usr/bin/python3 -m venv --system-site-packages .venv-uno
  .venv-uno/bin/pip install -q --disable-pip-version-check "unoserver==$(sed -n 's/^unoserver==//p' requirements.lock)"
fi
echo "install: ready ($(.venv/bin/python --version), dunning at .venv/bin/dunning)"
