#!/usr/bin/env bash
# Creates (or refreshes) the sidecar's virtual environment in .venv from python/requirements.txt (runtime) and
# python/requirements-test.txt (pytest, for the Python tests the build runs).
# Idempotent and cheap when nothing changed: a stamp holds the hash of both requirement files it was built from.
# Used by the build (so both the run and the test command get it) and by the Dockerfile.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${TRIAGE_VENV:-$root/.venv}"
requirements="$root/python/requirements.txt"
test_requirements="$root/python/requirements-test.txt"
stamp="$venv/.requirements.sha256"
wanted="$(cat "$requirements" "$test_requirements" | sha256sum | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  exit 0
fi

python="${TRIAGE_BOOTSTRAP_PYTHON:-python3}"
echo "[setup-venv] building $venv with $($python --version 2>&1)"
rm -rf "$venv"
"$python" -m venv "$venv"
# A single retry: an unreachable default index otherwise costs minutes before the error shows.
if "$venv/bin/pip" install --quiet --retries 1 --timeout 30 -r "$requirements" -r "$test_requirements"; then
  echo "$wanted" > "$stamp"
  exit 0
fi

# No package index reachable: fall back to Debian's scikit-learn when we may install packages.
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "[setup-venv] pip could not install the pinned packages; falling back to Debian's python3-sklearn" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-sklearn >/dev/null
  # pytest only serves the Python tests: its absence must not stop the runtime fallback.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest >/dev/null \
    || echo "[setup-venv] python3-pytest not installable; the Python tests will not run" >&2
  rm -rf "$venv"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  echo "debian-fallback" > "$stamp"
  exit 0
fi

echo "[setup-venv] could not install python/requirements.txt; configure a package index for pip and retry" >&2
exit 1
