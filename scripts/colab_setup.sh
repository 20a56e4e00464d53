#!/usr/bin/env bash
# Run by each notebook's setup cell on Colab only. Keeps Colab's own torch and ipywidgets
# (upgrading ipywidgets breaks Colab's widget manager); adds what the workbook needs.
set -euo pipefail
cd "$(dirname "$0")/.."
pip install -q gguf peft music21 nbval >/dev/null
pip install -q --no-deps -r requirements-offline.txt >/dev/null
pip install -q --no-deps -e . >/dev/null
echo "workbook helpers installed"
