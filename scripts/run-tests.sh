#!/usr/bin/env bash
# Runs the whole suite, one worker per core (pytest-xdist; TEST_WORKERS=N to choose). Work is stolen between
# workers, so that the long tests (browser, backup, fuzzing, faults) do not leave one core idle at the end.
# pytest's exit code 5 ("no tests collected") is a failure, not a pass.
set -u
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest --ds=tandem.settings_test -n "${TEST_WORKERS:-auto}" --dist worksteal "$@"
status=$?
if [ "$status" = "5" ]; then
  echo "No tests were collected: that is a failure." >&2
  exit 1
fi
exit "$status"
