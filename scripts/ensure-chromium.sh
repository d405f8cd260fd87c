#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and this machine allows it.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "Chromium is not installed and cannot be installed here (needs root and apt-get: apt-get install chromium)." >&2
echo "Browser tests will be skipped outside CI and fail in CI." >&2
exit 0
