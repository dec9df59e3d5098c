#!/usr/bin/env bash
# The one test command (README "Quick start"): install the test tools, then run every test.
set -euo pipefail
cd "$(dirname "$0")"
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
python -m pytest "$@"
