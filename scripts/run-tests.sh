#!/usr/bin/env bash
# Runs the whole suite. pytest's exit code 5 ("no tests collected") is a failure, not a pass.
set -u
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest --ds=tandem.settings_test "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "No tests were collected: that is a failure." >&2
  exit 1
fi
exit "$status"
