#!/usr/bin/env bash
# Makes sure the browser tests have Debian's Chromium and its ChromeDriver at /usr/bin/chromium and
# /usr/bin/chromedriver. Test tools never download a browser here (the network is closed to them), so the build
# installs the distribution's packages before the tests: a fresh CI machine gets them from `./mvnw verify`.
# Idempotent: nothing happens when both binaries exist. Skip with -Dtriage.browser.setup.skip=true.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "[setup-browser] installing Debian's chromium and chromium-driver"
  # Other builds on this machine may hold dpkg's lock (e.g. the Python fallback): wait for it rather than fail.
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    exit 0
  fi
fi

echo "[setup-browser] the browser tests need /usr/bin/chromium and /usr/bin/chromedriver." >&2
echo "[setup-browser] Install them (Debian: apt-get install chromium chromium-driver, as root) or skip the" >&2
echo "[setup-browser] browser tests' set-up with -Dtriage.browser.setup.skip=true." >&2
exit 1
