#!/usr/bin/env bash
# One entry point for the workbook (scripts/run.py does the work; on Windows run it directly:
# `python scripts/run.py lab|test|setup`):
#   bash scripts/run.sh lab    set everything up, then open the workbook in JupyterLab
#   bash scripts/run.sh test   set everything up, then run every test and every notebook
#                              (under nbval, and in JupyterLab in headless Chromium when installed)
#   bash scripts/run.sh setup  set everything up only
# Settings: VENV, TORCH_SPEC, TORCH_INDEX, CONSTRAINTS, COURSE_TEST_WORKERS, PYTHON (see scripts/run.py).
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" scripts/run.py "$@"
