#!/usr/bin/env bash
# Run by each notebook's setup cell on Colab only. Keeps Colab's own torch and ipywidgets
# (upgrading ipywidgets breaks Colab's widget manager); adds what the workbook needs.
set -euo pipefail
cd "$(dirname "$0")/.."
# The lessons' packages at the lower bounds CI tests (requirements.txt): a bound also upgrades an
# older preinstalled copy (transformers 5 needs a recent peft). diffusers: 07's Stable Diffusion cell.
# uroman: 08's Korean text-to-speech cell (Colab does not have it).
specs=$(grep -E '^(transformers|tokenizers|safetensors|gguf|peft|accelerate|datasets|music21|nbval|uroman)>=' requirements.txt | awk '{print $1}')
pip install -q $specs diffusers >/dev/null
pip install -q --no-deps -r requirements-offline.txt >/dev/null
pip install -q --no-deps -e . >/dev/null
echo "workbook helpers installed"
