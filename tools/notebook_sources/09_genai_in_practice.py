# %% [markdown]
# # 09 · Generative AI in practice: why building it is hard, and how to use it responsibly
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week4/09_genai_in_practice.ipynb)
#
# Lists of "why generative AI (생성형 AI) is hard" are easy to read and easy to forget. Here every item on the
# list is a small experiment that you run, with a number or a plot at the end.
#
# **What you will learn**
# - how the amount and the quality of training data (데이터의 양과 질) change a model, measured on the same tiny GPT;
# - bias in, bias out (편향): probing a pretrained model's next-token probabilities, and a model that repeats the skew of its data;
# - harmful output and misuse (유해한 출력과 오용): a content filter (콘텐츠 필터) that blocks or masks, and its mistakes;
# - compute and cost (연산량과 비용): memory at fp32/fp16/int8, memory for training, FLOPs ≈ 6 × parameters × tokens, and hours and dollars on a CPU, a Colab GPU and a cloud GPU (클라우드 GPU);
# - hyperparameters (하이퍼파라미터): learning rate, batch size and warm-up;
# - mode collapse (모드 붕괴): a GAN that covers only some of its data, next to a diffusion model that covers all of it;
# - why you use a pretrained model first (사전 학습 모델 먼저) and start small (작게 시작해서 확장).
#
# Time on a 2-core CPU: about 1 minute (two dozen tiny training runs of a few seconds each). Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

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
device = cu.setup_lesson("09")   # mode (online/offline and why), device, seed, models used

# %%
SEED = cu.lesson_seed()   # 0 here; the experiments take their seeds from it, so reruns with other seeds vary them

# %% [markdown]
# All models trained in this notebook are tiny (a few hundred thousand parameters), and for
# matrices this small one CPU thread is faster than several, and gives the same numbers on any
# machine. So we train on the CPU with one thread even when a GPU is present: the lesson is the
# *comparison* between runs, not speed.
#
# The last decimals of a training run still differ between CPUs and torch versions (and between
# seeds). So the lesson never relies on one printed loss: each conclusion is a **checked claim**
# (`cu.claim`) with a band that held over several seeds and two torch versions, and your run
# prints ✓ when it holds for you too.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

from course_utils.training import lm
from course_utils.data.corpora import load_corpus, train_val_split
from course_utils.kernel.device import one_cpu_thread

CPU = torch.device("cpu")

# %% [markdown]
# ## 1. Data quantity and quality (데이터의 양과 질)
#
# A generative model can only learn what is in its data. We take a slice of the King James Bible,
# train one tokenizer on it, and then train **the same tiny GPT** (2 layers, width 64, the
# architecture of Week 2's model, just smaller) for the same number of steps on:
#
# - 5 %, 25 % and 100 % of the training text (*quantity*);
# - the full text with the words of each line shuffled, and with 20 % of the letters replaced by
#   random ones (*quality*: the same amount of text, but worse).
#
# Every model is then scored on the same clean held-out text (lower loss = better predictions).

# %%
from course_utils.data.quality import inject_noise, shuffle_words, take_fraction

text = load_corpus("kjv")[:400_000]
train_text, val_text = train_val_split(text, 0.1)
tok = lm.train_bpe_tokenizer(train_text, vocab_size=1000)
train_ids, val_ids = lm.encode(tok, train_text), lm.encode(tok, val_text)
print(f"training text: {len(train_text):,} characters = {len(train_ids):,} tokens; held out: {len(val_ids):,} tokens")

# %% [markdown]
# **Predict first (먼저 예측하기):** the five runs below differ only in their training data. Which
# one ends with the lowest held-out loss? And for the 5 % run: will its training loss end above,
# about equal to, or far below its held-out loss? Write your answers down, then run the next cell.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
STEPS, BATCH, BLOCK = 120, 16, 64

@one_cpu_thread()   # tiny model: one thread is faster and gives the same numbers anywhere
def train_tiny(ids, steps=STEPS, lr=3e-3, batch_size=BATCH, warmup=None, seed=SEED, vocab=len(tok), eval_ids=val_ids):
    """The same tiny GPT every time (same seed), trained on `ids`; returns (model, log)."""
    model = lm.make_tiny_gpt(vocab, n_layer=2, n_embd=64, n_head=4, n_ctx=BLOCK, seed=seed)
    log = lm.train_lm(model, ids, eval_ids, steps=steps, batch_size=batch_size, block_size=BLOCK, lr=lr,
                      warmup=warmup, seed=seed, progress=False, eval_every=steps // 4)
    return model, log

data_versions = {
    "5 %": take_fraction(train_ids, 0.05),
    "25 %": take_fraction(train_ids, 0.25),
    "100 %": train_ids,
    "100 %, words shuffled": lm.encode(tok, shuffle_words(train_text, seed=SEED)),
    "100 %, 20 % letter noise": lm.encode(tok, inject_noise(train_text, rate=0.2, seed=SEED)),
}
data_runs = {name: train_tiny(ids) for name, ids in data_versions.items()}

print(f"\n{'training data':<26}{'tokens':>8}{'train loss':>12}{'held-out loss':>15}")
for name, (model, log) in data_runs.items():
    print(f"{name:<26}{len(data_versions[name]):>8,}{log.eval_train_loss[-1]:>12.2f}{log.final_val_loss:>15.2f}")

# %% [markdown]
# **Check your prediction.** The clean 100 % run ends lowest, and the 5 % run's training loss
# ends far below its held-out loss (the claims below check both). Look at the two loss columns. With 5 % of the data the model sees the same few thousand tokens
# again and again: its *training* loss is far below its held-out loss (it memorises instead
# of generalising: 과적합, overfitting). Shuffled words keep every word but teach no order;
# noisy letters teach wrong spellings. Both do worse on clean text than the clean 100 %.
# The claims below check each of these points on your run:

# %%
# Self-check: what this section claims (more clean data helps; worse data of the same size hurts).
val = {name: log.final_val_loss for name, (model, log) in data_runs.items()}
tr5 = data_runs["5 %"][1]
cu.claim("held-out loss with 25 % of the text minus with 100 %", val["25 %"] - val["100 %"], at_least=0.15)
cu.claim("held-out loss with 5 % of the text minus with 25 %", val["5 %"] - val["25 %"], at_least=0.25)
cu.claim("held-out loss with shuffled words minus with the clean text", val["100 %, words shuffled"] - val["100 %"], at_least=0.5)
cu.claim("held-out loss with 20 % letter noise minus with the clean text", val["100 %, 20 % letter noise"] - val["100 %"], at_least=0.6)
_ = cu.claim("held-out minus training loss with 5 % of the text (overfitting)", tr5.final_val_loss - tr5.eval_train_loss[-1], at_least=1.5)

# %% [markdown]
# Samples from each model, same prompt and seed:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text from trained models differs across CPUs, torch versions and seeds
for name, (model, log) in data_runs.items():
    out = lm.sample(model, tok, "And the LORD said", max_new_tokens=20, temperature=0.8, seed=SEED)
    print(f"{name:<26}{out!r}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, (model, log) in data_runs.items():
    ax.plot(log.eval_steps, log.val_loss, marker="o", label=name)
ax.set(xlabel="training step", ylabel="held-out loss (clean text)", title="Same model, same steps, different data")
ax.legend(title="training data", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))   # beside the plot, not over the lines
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. Bias in, bias out (편향)
#
# A model trained on human text repeats the patterns of that text, including stereotypes. One way
# to *look* for this is a **probe**: fill a template such as "The nurse said that" with different
# occupations and compare the probabilities the model gives to the next word " he" versus " she".
# We probe SmolLM2 (offline; GPT-2 when online), a real pretrained model.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a pretrained model's probabilities go through float sums whose last digits differ across CPUs and torch versions
from course_utils.safety import probes

llm = cu.load_model("text-generation", device="cpu")
probe = probes.pronoun_probe(llm.model, llm.tokenizer, probes.OCCUPATIONS, template="The {} said that")
print(probes.format_probe(probe, group="she"))

# %%
shares = np.array([r["share"]["she"] for r in probe])
order = np.argsort(shares)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.barh([probe[i]["subject"] for i in order], shares[order])
ax.axvline(shares.mean(), color="k", ls="--", label=f"mean over occupations ({shares.mean():.2f})")
ax.axvline(0.5, color="grey", ls=":", label="equal (0.5)")
ax.set(xlabel="share of ' she' among ' he' + ' she'", title=f"{llm.name}: 'The ___ said that'")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)   # beside the bars, not over them
fig.tight_layout()
plt.show()

# %% [markdown]
# Read the plot relative to the dashed line: this model says " she" more often than " he" overall
# (the mean is above 0.5). The four stereotypically female occupations (nurse, secretary, teacher,
# librarian) are at the top, but the picture is not a clean split: the stereotypically male doctor
# and engineer sit right at the mean (doctor even a hair above it), and programmer and cook are at
# the bottom. The claims check the mean and the gap between the top four and the rest:

# %%
# Self-check: what the probe shows (a skew towards " she", strongest for the stereotypically female occupations).
FEMALE_CODED = ["nurse", "secretary", "teacher", "librarian"]
share_of = {r["subject"]: r["share"]["she"] for r in probe}
others = [s for s in share_of if s not in FEMALE_CODED]
assert all(0 < r["p"]["he"] < 1 and 0 < r["p"]["she"] < 1 and r["mass"] < 1 for r in probe)   # valid probabilities
cu.claim("mean share of she over the occupations", shares.mean(), at_least=0.58, at_most=0.76)
_ = cu.claim("lowest share of she among nurse, secretary, teacher, librarian minus highest among the others",
             min(share_of[s] for s in FEMALE_CODED) - max(share_of[s] for s in others), at_least=0.02)

# %% [markdown]
# Before you conclude anything, check how fragile the probe is. The same question with a different wording:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a pretrained model's probabilities (float sums) differ in the last digits across CPUs and torch versions
probe2 = probes.pronoun_probe(llm.model, llm.tokenizer, probes.OCCUPATIONS, template="My {} told me that")
shares2 = np.array([r["share"]["she"] for r in probe2])
rank_corr = np.corrcoef(np.argsort(np.argsort(shares)), np.argsort(np.argsort(shares2)))[0, 1]
mass = np.array([r["mass"] for r in probe])
print(f"largest change of one occupation's share between the two templates: {np.abs(shares - shares2).max():.2f}")
print(f"rank correlation of the occupations between the two templates: {rank_corr:.2f}")
print(f"' he' + ' she' together get {mass.min():.2f} to {mass.max():.2f} of the next-word probability")

# %%
# Self-check: what this comparison claims (the wording moves the numbers; he + she are a thin slice).
cu.claim("largest change of one occupation's share between the two templates", np.abs(shares - shares2).max(), at_least=0.05)
_ = cu.claim("largest share of the next-word probability that he and she get together", mass.max(), at_most=0.5)

# %% [markdown]
# **Limits of such probes.** The numbers move with the wording of the template; " he" and " she"
# get only a small part of the probability (the rest goes to " they", " the", ...), so a probe looks
# at a thin slice of behaviour; a dozen occupations and one language are a tiny sample; and a
# next-word probability is not the same as what a deployed system does with it. A probe can show
# that a skew exists; it cannot show that there is none.
#
# To see *where* a skew comes from, we make the data ourselves: sentences like "the nurse said
# that she was tired." in which the share of "she" is set per occupation. A tiny GPT trained on
# it for 150 steps is then probed with the same function.

# %%
skew = {"nurse": 0.9, "secretary": 0.8, "teacher": 0.5, "doctor": 0.2, "engineer": 0.1}
skew_text = probes.skewed_corpus(skew, n_sentences=3000, seed=SEED)
skew_train, skew_val = train_val_split(skew_text, 0.1, chunk_lines=100)
skew_tok = lm.train_bpe_tokenizer(skew_train, vocab_size=300)
print(skew_text.splitlines()[:3])

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a training run; the learned shares differ across CPUs, torch versions and seeds (the claim below checks them)
skew_model, skew_log = train_tiny(lm.encode(skew_tok, skew_train), steps=150, lr=1e-2, vocab=len(skew_tok),
                                  eval_ids=lm.encode(skew_tok, skew_val))
learned = probes.pronoun_probe(skew_model, skew_tok, list(skew), template="the {} said that")
print(f"\n{'occupation':<12}{'share of she in the data':>26}{'learned share':>15}")
for r in learned:
    print(f"{r['subject']:<12}{skew[r['subject']]:>26.2f}{r['share']['she']:>15.2f}")

# %%
# Self-check: what this section claims (bias in, bias out: the small model repeats the skew it was fed).
_ = cu.claim("largest gap between a learned share of she and the data's share", max(abs(r["share"]["she"] - skew[r["subject"]]) for r in learned),
             at_most=0.18)

# %% [markdown]
# ## 3. Harmful output and misuse (유해한 출력과 오용)
#
# A generator can produce insults, threats or someone's phone number, and people can try to use it
# to do harm. One line of defence is a **content filter** on the output: `course_utils.safety.content_filter`
# checks text against word lists and patterns (profanity, violence and threats, self-harm, personal
# data such as e-mail addresses and phone numbers) and either **blocks** the whole output or
# **masks** the flagged words, and always says why. Online, a toxicity classifier can be added.

# %%
from course_utils.safety import content_filter as cf

outputs = [
    "The weather in Seoul is mild in spring.",
    "Sure! You can reach Mr. Kim at kim.minsu@example.co.kr or 010-1234-5678.",
    "Shut up, you stupid bitch.",
    "If you do that again I will kill you.",
    "Sometimes I want to end my life.",
]
for text in outputs:
    print(f"{text}\n   block -> {cf.apply(text, mode='block')}\n   mask  -> {cf.apply(text, mode='mask')}\n")

# %% [markdown]
# Generation helpers can pass their output through the same filter. Here SmolLM2 answers two
# prompts and the filter checks each answer:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: greedy generation follows float arithmetic; a near-tie can change a word on another CPU or torch version
from course_utils.sampling.generation import chat_messages, generate_by_hand

chat_prompts = ["Write one sentence about a friendly dog.", "Give me an example e-mail address for a test."]
has_chat_template = llm.tokenizer.chat_template is not None   # SmolLM2-Instruct offline: yes; GPT-2 online: no
for prompt in chat_prompts:
    asked = chat_messages(prompt) if has_chat_template else prompt   # messages go through the chat template
    answer = generate_by_hand(llm.model, llm.tokenizer, asked, 30).text.strip()   # greedy; stops at end-of-sequence
    res = cf.check(answer)
    print(f"{prompt}\n   model : {answer!r}\n   filter: {'allowed' if res.allowed else res.reason}\n")

# %% [markdown]
# Look at what the filter said. In our runs it let **both** answers through, and rightly so: the dog
# sentence is harmless, and for the second prompt SmolLM2 (an *instruction-tuned* chat model) declined
# to write an address at all, so there was nothing to flag. The demonstration we hoped for did not
# happen. If your run does print an e-mail address, the filter reports it as personal data, exactly as
# in the cell before. A filter only sees what the model actually wrote.
#
# Word lists are simple and explainable, but they make two kinds of mistakes. They **miss** harm
# written with other words ("I'll make sure you never wake up") and they **over-block** innocent
# text (false positives, 오탐). Matching only at the *start* of a word avoids the famous
# "Scunthorpe problem" (a town name containing a swear word), but not all of them:

# %%
benign = [
    "Scunthorpe United won on Saturday", "The class assignment is due on Friday",
    "My therapist recommended a walk every morning", "Charles Dickens wrote Great Expectations",
    "I love spicy food", "The pilot walked into the cockpit", "Use kill -9 to stop the process",
    "Let's shoot a short video for the project", "The comedy bombed at the box office",
    "He cut the cake into eight pieces", "Born on 1990-05-12 in Seoul", "Call the front desk if you need anything",
]
flagged = [t for t in benign if not cf.check(t).allowed]
for t in flagged:
    print(f"false positive: {t!r:48} {cf.check(t).reason}")
print(f"\n{len(flagged)} of {len(benign)} harmless texts flagged ({len(flagged) / len(benign):.0%}; the list was chosen to be tricky)")
naive = cf.ContentFilter(word_boundaries=False)   # match the lists anywhere inside words
print("naive substring filter on 'Scunthorpe United won':", naive.check("Scunthorpe United won").reason)
missed = "I'll make sure you never wake up"
print(f"missed: {missed!r} -> {cf.check(missed).reason}")

# %%
# Online, a toxicity classifier can add a learned judgement, in a second filter (the lists stay
# the default one, so what this section showed and checks stays the lists' behaviour).
try:
    learned = cf.ContentFilter(classifier=cf.load_online_classifier())
    print("with", cf.ONLINE_TOXICITY_MODEL, "->", learned.check(missed).reason)
except cu.OnlineOnlyError as err:
    print("skipped offline:", err)

# %%
# Self-check: the filter blocks what it should, masks spans, and its false positives are the ones shown.
assert cf.check(outputs[0]).allowed and not any(cf.check(t).allowed for t in outputs[1:])
assert "kim.minsu@example.co.kr" not in cf.apply(outputs[1], mode="mask").text
assert set(flagged) == {"Charles Dickens wrote Great Expectations", "I love spicy food", "The pilot walked into the cockpit",
                        "Use kill -9 to stop the process", "Let's shoot a short video for the project",
                        "The comedy bombed at the box office"}
print("filter behaves as described, false positives included")

# %% [markdown]
# A filter is one layer. Real systems add more: curating the training data (section 1), training
# the model to follow instructions and refuse harmful requests (instruction tuning and learning from
# human feedback, a step after pretraining that this course does not cover; SmolLM2-**Instruct**,
# used above, went through it), classifiers, rate limits and human review.
#
# ## 4. Compute and cost (연산량과 비용)
#
# **Memory.** Each parameter takes 4 bytes in fp32, 2 in fp16/bf16 and 1 in int8. That is enough to
# *run* a model. To *train* it with Adam you also keep the gradients and two running averages per
# parameter: 16 bytes per parameter (in fp32, and also in the usual mixed precision, which keeps an
# fp32 master copy), plus the **activations** saved for the backward pass, which grow with batch
# size and sequence length.
#
# **Predict first (먼저 예측하기):** GPT-2 small has 124 M parameters; its fp32 weights take under
# half a GiB. Does *training* it with Adam on batches of 8 × 1,024 tokens fit the 15 GiB of a
# free Colab T4? And which part of the memory is largest: weights, gradients, optimizer state or
# activations? Then run the next two cells.

# %%
from course_utils.training import costs

tiny = costs.spec_from_model(data_runs["100 %"][0], "our tiny GPT")
models = [tiny, *costs.MODELS.values()]
print(f"{'model':<18}{'params':>10}{'fp32 GiB':>10}{'fp16 GiB':>10}{'int8 GiB':>10}{'train GiB*':>12}")
for m in models:
    w = [costs.weights_memory_bytes(m.n_params, d) / costs.GiB for d in ("fp32", "fp16", "int8")]
    train = costs.training_memory(m, batch_size=8, seq_len=min(m.context, 1024))["total"] / costs.GiB
    print(f"{m.name:<18}{m.n_params / 1e6:>9.1f}M{w[0]:>10.3g}{w[1]:>10.3g}{w[2]:>10.3g}{train:>12.3g}")
print("* mixed-precision Adam, batch 8 × 1,024 tokens (or the model's context if shorter)")

# %%
parts = costs.training_memory(costs.MODELS["GPT-2 small"], batch_size=8, seq_len=1024)
fig, ax = plt.subplots(figsize=(7, 2.2))
left = 0
for name in ("weights", "gradients", "optimizer", "activations"):
    ax.barh(["GPT-2 small"], [parts[name] / costs.GiB], left=left, label=f"{name} {parts[name] / costs.GiB:.1f}")
    left += parts[name] / costs.GiB
ax.axvline(15, color="k", ls="--", label="Colab T4: 15 GiB")
ax.set(xlabel="GiB to train (batch 8 × 1,024 tokens, mixed precision)")
ax.legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.45))
plt.show()

# %% [markdown]
# **Check your prediction.** It fits, just: 12.9 GiB, and most of it is activations (11.1 GiB);
# weights, gradients and Adam's state together are 1.8 GiB (16 bytes per parameter). The
# activations grow with the batch: at batch 16 they double and the total, 24 GiB, no longer fits.
#
# **Compute.** Training takes about 6 × N × D floating-point operations (FLOPs) for N parameters and D
# tokens (2 per parameter per token forward, 4 backward). Our own runs above give a measured speed
# for this CPU; the GPUs' speeds are their datasheet peaks times an assumed utilisation, and their
# prices are assumptions (see `costs.T4.note`, `costs.A100.note`, `costs.H100.note`; check today's
# prices before renting). D is set by the "Chinchilla" rule of thumb: about 20 tokens per parameter.

# %%
for hw in costs.CLOUD_HARDWARE:
    print(f"{hw.name:<16} {hw.flops_per_second / 1e12:6.1f} TFLOP/s sustained, {hw.memory_gib:g} GiB, ${hw.usd_per_hour:.2f}/h: {hw.note}")

# %%
# NBVAL_IGNORE_OUTPUT
# (why: the measured speed of this machine changes from run to run and machine to machine)
log100 = data_runs["100 %"][1]
this_cpu = costs.hardware_from_measurement("this CPU (1 thread)", tiny.n_params, log100.tokens_per_second, memory_gib=24)
print(f"this CPU: {log100.tokens_per_second:,.0f} tokens/s training the tiny GPT -> "
      f"{this_cpu.flops_per_second / 1e9:.2f} GFLOP/s sustained")
hardware = [this_cpu, *costs.CLOUD_HARDWARE]
rows = [costs.training_estimate(m, costs.chinchilla_tokens(m.n_params), hw)
        for m in (tiny, costs.MODELS["GPT-2 small"], costs.MODELS["Llama-2-7B"]) for hw in hardware]
print(costs.format_estimates(rows))

# %% [markdown]
# Read the table by rows. The "this CPU" rows use the speed measured in this run, so yours differ:
# on a typical laptop core our tiny model, trained to its 20 tokens per parameter, takes minutes,
# and GPT-2 small takes years. The GPU rows come from the stated assumptions and are the same on
# every machine: the tiny model takes a fraction of a second; GPT-2 small about a day on a free
# Colab T4 and about an hour on an H100, for a few dollars. A 7-billion parameter model needs more
# memory than one GPU has (training it means several GPUs in parallel) and a budget of more than
# ten thousand dollars. That is why you start from a pretrained model.
#
# This is what "use the cloud when you need it, and don't shrink the experiment because of memory"
# means in numbers: when the model you need does not fit (the "fits" column), the fix is a bigger
# or rented GPU for a few hours, not a smaller model that cannot do the job.
#
# Explore with the widget: pick a model, the number of training tokens, precision, batch size and
# hardware.

# %%
# NBVAL_IGNORE_OUTPUT
# (why: a widget; its view is not stored; the same table comes from costs.format_estimates)
from course_utils.widgets.costs import cost_widget

cost_widget(extra_models=[tiny], extra_hardware=[this_cpu])

# %%
# Self-check: hand-checkable numbers behind the table.
g2 = costs.MODELS["GPT-2 small"]
assert costs.weights_memory_bytes(g2.n_params, "fp32") == 124e6 * 4
est = costs.training_estimate(g2, costs.chinchilla_tokens(g2.n_params), costs.H100)
assert est["flops"] == 6 * 124e6 * 20 * 124e6
assert 0.5 < est["hours"] < 3 and est["usd"] < 10                   # about an hour, a few dollars
assert not costs.training_estimate(costs.MODELS["Llama-2-7B"], 1e9, costs.H100)["fits"]
print("memory, FLOPs and cost check out")

# %% [markdown]
# ## 5. Hyperparameters (하이퍼파라미터)
#
# The learning rate is the most important setting. We train the same tiny GPT on the clean data
# with four learning rates, 80 steps each, and plot the training loss on one chart.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
lr_runs = {lr: train_tiny(train_ids, steps=80, lr=lr)[1] for lr in (1e-4, 3e-3, 3e-2, 0.3)}

fig, ax = plt.subplots(figsize=(7, 3.5))
for lr, log in lr_runs.items():
    ax.plot(log.smoothed(8), label=f"lr = {lr:g}: held-out {log.final_val_loss:.2f}")
ax.axhline(math.log(len(tok)), color="grey", ls=":", label="uniform guess ln(vocab)")
ax.set(xlabel="step", ylabel="training loss (mean of the last 8 steps)", title="Learning-rate sweep")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
plt.show()
for lr, log in lr_runs.items():
    print(f"lr {lr:<7g} held-out loss {log.final_val_loss:.2f}")

# %% [markdown]
# Too small (1e-4): the loss barely moves in 80 steps. Right (3e-3): fast, steady progress. Too
# large (3e-2): a fast start, then it stalls and ends worse. Far too large (0.3): the first updates
# throw the loss *above* a uniform guess (the dotted line): training diverges (발산); the
# gradient clipping and the decaying schedule of `train_lm` pull it back, but it never catches up.
# The good range is found by a sweep like this one, on a small model first.

# %%
# Self-check: what the sweep claims (the middle learning rate wins; too small, too large and diverging all lose).
final = {lr: log.final_val_loss for lr, log in lr_runs.items()}
cu.claim("held-out loss at lr 1e-4 minus at lr 3e-3", final[1e-4] - final[3e-3], at_least=1.0)
cu.claim("held-out loss at lr 3e-2 minus at lr 3e-3", final[3e-2] - final[3e-3], at_least=0.2)
cu.claim("held-out loss at lr 0.3 minus at lr 3e-3", final[0.3] - final[3e-3], at_least=0.3)
_ = cu.claim("highest training loss at lr 0.3 minus the uniform guess ln(vocab)", max(lr_runs[0.3].losses) - math.log(len(tok)),
             at_least=1.0)

# %% [markdown]
# **Batch size.** A bigger batch averages the gradient over more examples: less noise per step, but
# more compute per step. Comparing batch 4 and batch 16 for the same 80 steps would be unfair, since
# batch 16 reads four times as many tokens. So we compare at an **equal number of tokens** as well:
# batch 4 for 320 steps reads exactly what batch 16 reads in 80.
#
# **Warm-up.** Warm-up starts with a tiny learning rate and raises it over the first steps, so the
# first, largest updates on random weights do not throw the model off. We try it at the too-large
# learning rate 3e-2.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
bw_runs = {
    "batch 4, 80 steps": train_tiny(train_ids, steps=80, batch_size=4)[1],
    "batch 4, 320 steps": train_tiny(train_ids, steps=320, batch_size=4)[1],
    "batch 16, 80 steps": lr_runs[3e-3],
    "lr 3e-2, warm-up 1 step": train_tiny(train_ids, steps=80, lr=3e-2, warmup=1)[1],
    "lr 3e-2, warm-up 20 steps": train_tiny(train_ids, steps=80, lr=3e-2, warmup=20)[1],
}
print(f"{'run':<28}{'tokens seen':>12}{'held-out loss':>15}")
for name, log in bw_runs.items():
    print(f"{name:<28}{log.tokens_seen:>12,}{log.final_val_loss:>15.2f}")

# %%
# Self-check: what the batch-size and warm-up runs claim.
assert bw_runs["batch 4, 320 steps"].tokens_seen == bw_runs["batch 16, 80 steps"].tokens_seen == 4 * bw_runs["batch 4, 80 steps"].tokens_seen
b4, b4_long, b16 = (bw_runs[k].final_val_loss for k in ("batch 4, 80 steps", "batch 4, 320 steps", "batch 16, 80 steps"))
cu.claim("held-out loss with batch 4 minus batch 16, same 80 steps", b4 - b16, at_least=0.1)
cu.claim("held-out loss with batch 16 for 80 steps minus batch 4 for 320 steps, same tokens", b16 - b4_long, at_least=0.2)
_ = cu.claim("held-out loss at lr 3e-2 with 1 warm-up step minus with 20", bw_runs["lr 3e-2, warm-up 1 step"].final_val_loss
             - bw_runs["lr 3e-2, warm-up 20 steps"].final_val_loss, at_least=0.05)

# %% [markdown]
# At the same 80 steps, batch 16 wins: it read four times as many tokens. At the same number of
# tokens the order flips: batch 4 for 320 steps ends clearly lower than batch 16 for 80, because it
# made four times as many updates, each noisier but each a step forward. So a bigger batch is not
# better by itself. What it buys is a less noisy gradient per step and, on a GPU, speed: the 16
# windows of a step are computed in parallel, so a step of 16 costs little more time than a step
# of 4. For a fixed amount of *data*, more and smaller steps can learn more; for a fixed amount of
# *time* on parallel hardware, bigger batches usually win (with a learning rate tuned for them).
#
# Warm-up at the too-large learning rate 3e-2: 20 warm-up steps ended lower than a single one. It
# softens the damage of a too-large learning rate; it does not make it a good one (compare with lr
# 3e-3 in the sweep).

# %% [markdown]
# ## 6. Mode collapse (모드 붕괴)
#
# A generative model should produce *all* kinds of things in its data. Besides the language models
# and the diffusion models of this course there is a third classic family of generators, which the
# course has not used so far: the **GAN** (generative adversarial network, 생성적 적대 신경망). It trains
# two networks against each other. The *generator* turns random noise into a sample; the
# *discriminator* sees real data and generated samples and learns to tell them apart; the generator
# is trained to make the discriminator say "real". Nothing in that game rewards variety, so the
# generator can settle on a few kinds of output that fool the discriminator: **mode collapse**.
#
# We can see it on toy data: eight tight clusters ("modes") on a ring. A mode counts as covered if at
# least 1 % of the samples land within 0.15 of its centre (3 standard deviations of a cluster);
# "effective modes" says how evenly the samples spread over the modes (8 = perfectly even, 1 = all
# in one).
#
# **Predict first (먼저 예측하기):** after 1,000 training steps, how many of the 8 modes will the
# GAN cover? And the diffusion model trained on the same ring, two cells below? Then run both cells.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a GAN's training is chaotic; where its samples land differs across CPUs, torch versions and seeds
from course_utils.generators import diffusion
from course_utils.generators import gan

GAN_STEPS, DIFF_STEPS = 1000, 1000
ring = gan.ring_data(2000, seed=0)
centers = gan.ring_centers()
with one_cpu_thread():   # tiny networks: one thread is faster and gives the same numbers anywhere
    gan_run = gan.train_gan(ring, steps=GAN_STEPS, batch_size=64, seed=SEED)
fig, axes = plt.subplots(1, len(gan_run.snapshots), figsize=(12, 2.6), sharex=True, sharey=True)
for ax, (step, pts) in zip(axes, gan_run.snapshots):
    ax.scatter(*ring[:500].T, s=2, c="lightgrey")
    ax.scatter(*pts[:500].T, s=2, c="C3")
    ax.set_title(f"step {step}\n{gan.mode_coverage(pts, centers).modes_covered}/8 modes", fontsize=9)
    ax.set_aspect("equal")
fig.suptitle("GAN samples (red) over training; data in grey", fontsize=10)
plt.show()

# %% [markdown]
# Follow the mode count in the titles. It need not climb steadily: a GAN often reaches more modes
# and then loses some again, or crowds most samples into a few of them, because the generator chases
# whatever currently fools the discriminator, not the data as a whole. Points strung between
# clusters are a second flaw (a smooth generator cannot jump cleanly from one cluster to the next).
#
# The diffusion model of Week 4 (`course_utils.generators.diffusion`, the same code that draws digits) learns to
# remove noise from *every* training point, so it has no reason to drop a mode. Same data:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: trained models; the samples differ across CPUs, torch versions and seeds
sched = diffusion.linear_schedule(100)

def diffusion_samples(seed):
    """Train the small 2-D denoiser of Week 4 on the ring from `seed` and draw 1,000 samples."""
    torch.manual_seed(seed)
    denoiser = diffusion.Denoiser(2, width=128, depth=2, T=100)
    diffusion.train_diffusion(denoiser, ring, sched, steps=DIFF_STEPS, batch_size=128, seed=seed, device=CPU)
    return diffusion.sample(denoiser, sched, 1000, seed=seed, device=CPU).x

diff_samples = diffusion_samples(SEED)
results = {"GAN": gan.mode_coverage(gan_run.samples, centers), "diffusion": gan.mode_coverage(diff_samples, centers)}
fig, axes = plt.subplots(1, 2, figsize=(7, 3.4), sharex=True, sharey=True)
for ax, (name, pts) in zip(axes, [("GAN", gan_run.samples), ("diffusion", diff_samples)]):
    ax.scatter(*ring[:500].T, s=2, c="lightgrey")
    ax.scatter(*pts[:500].T, s=2, c="C3")
    ax.set_title(f"{name}: {results[name].modes_covered}/8 modes,\n{results[name].effective_modes:.1f} effective modes",
                 fontsize=9)
    ax.set_aspect("equal")
fig.suptitle("samples (red) over the data (grey)", fontsize=10)
plt.show()
for name, cov in results.items():
    print(f"{name:<10} {cov}; samples per mode: {cov.counts}")

# %% [markdown]
# **Check your prediction.** The diffusion model covers all 8 modes (the claims below check it in
# every run); the GAN's count depends on the run, and its effective modes show how unevenly it
# spreads its samples even over the modes it does reach.
#
# One run of each proves little: a GAN's outcome depends on luck. **What helps?** Remedies for GANs
# exist (different losses, noise added to the discriminator's inputs, a smaller learning rate, and
# more elaborate ones such as minibatch discrimination). We try two simple ones, and repeat every
# variant and the diffusion model with three seeds, then average:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: 12 training runs; their coverage differs across CPUs, torch versions and seeds (the claims below check the averages)
SEEDS = [SEED, SEED + 1, SEED + 2]
variants = {"plain GAN": {}, "lower lr (2e-4)": {"lr": 2e-4}, "instance noise 0.1": {"instance_noise": 0.1}}
cover = {name: [] for name in [*variants, "diffusion"]}
with one_cpu_thread():   # as above for the GANs (the diffusion model pins itself to one thread)
    for s in SEEDS:
        for name, kw in variants.items():
            run = gan_run if (s == SEED and not kw) else gan.train_gan(ring, steps=GAN_STEPS, batch_size=64, seed=s, **kw)
            cover[name].append(gan.mode_coverage(run.samples, centers))
        cover["diffusion"].append(results["diffusion"] if s == SEED else gan.mode_coverage(diffusion_samples(s), centers))

mean_eff = {name: float(np.mean([c.effective_modes for c in covs])) for name, covs in cover.items()}
print(f"{'model':<20}{'modes covered per seed':>24}{'effective modes per seed':>26}{'mean':>7}")
for name, covs in cover.items():
    print(f"{name:<20}{str([c.modes_covered for c in covs]):>24}{str([round(c.effective_modes, 1) for c in covs]):>26}"
          f"{mean_eff[name]:>7.1f}")

# %%
# Self-check: what this section claims (averaged over three seeds).
gan_names = list(variants)
cu.claim("fewest modes the diffusion model covered in a run", min(c.modes_covered for c in cover["diffusion"]), at_least=8)
cu.claim("diffusion minus plain GAN effective modes, mean over 3 seeds", mean_eff["diffusion"] - mean_eff["plain GAN"], at_least=1.0)
cu.claim("lower lr minus plain GAN effective modes, mean over 3 seeds", mean_eff["lower lr (2e-4)"] - mean_eff["plain GAN"], at_least=0.5)
cu.claim("diffusion minus the best GAN variant's effective modes, mean over 3 seeds",
         mean_eff["diffusion"] - max(mean_eff[n] for n in gan_names), at_least=0.1)
_ = cu.claim("share of diffusion samples within 3 standard deviations of a centre, mean over 3 seeds",
             np.mean([c.share_near_mode for c in cover["diffusion"]]), at_most=0.4)

# %% [markdown]
# The lower learning rate helped the GAN most; whether instance noise helps depends on the seed.
# Even the best GAN variant spread its samples less evenly than the diffusion model, which covered
# all eight modes in every run. Note also what the plots show about *quality*: in this short
# training the diffusion samples are blurred along the ring (only a small share lands within 3
# standard deviations of a centre); more training sharpens them. Diffusion trades speed (many
# denoising steps) for coverage: one reason image generation moved from GANs to diffusion models.

# %% [markdown]
# ## 7. Use pretrained first, start small (사전 학습 모델 먼저, 작게 시작해서 확장)
#
# Sections 1–6 are the reasons the course rarely trains from scratch. Side by side: the best of the
# 120-step runs (section 1's, on 0.1 M tokens of clean text), and SmolLM2, pretrained on about 2
# trillion tokens:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text differs across CPUs, torch versions and seeds
prompt = "And the LORD said"
print("tiny GPT (ours):", repr(lm.sample(data_runs["100 %"][0], tok, prompt, max_new_tokens=20, seed=SEED)))
print("SmolLM2        :", repr(lm.sample(llm.model, llm.tokenizer, prompt, max_new_tokens=20, seed=SEED)))

# %%
smol = costs.MODELS["SmolLM2-135M"]
pretrain = costs.training_flops(smol.n_params, 2e12)
finetune = costs.training_flops(smol.n_params, 1e6)   # fine-tuning on ~1 M tokens of your own data
print(f"pretraining SmolLM2: {pretrain:.2g} FLOPs = {costs.human_time(costs.training_hours(pretrain, costs.H100.flops_per_second))} "
      f"on one H100; fine-tuning it on 1 M tokens: {finetune:.2g} FLOPs = "
      f"{costs.human_time(costs.training_hours(finetune, costs.T4.flops_per_second))} on a Colab T4")

# %% [markdown]
# **A decision guide** (answer the questions in order; stop at the first "yes"):
#
# 1. *Does a ready pipeline do the job?* (`pipeline("sentiment-analysis")`, a chat model with a good
#    prompt.) Try it on 20 of your own examples and measure. Cost: minutes, no training. — Week 1.
# 2. *Does a small pretrained model, fine-tuned on your data, do it?* Fine-tune a small model
#    (or LoRA on a bigger one) for minutes to hours on a free Colab GPU: a millionth of the
#    pretraining compute above. Check data quality and bias first (sections 1–2), filter outputs
#    (section 3). — Weeks 2–3.
# 3. *Do you need more?* Scale up one step at a time: a bigger pretrained model, more data, a
#    rented GPU when memory runs out (section 4) rather than a crippled experiment; tune the
#    learning rate on the small version first (section 5).
# 4. *Only then* consider pretraining, and budget it with the 6 × N × D estimate.
#
# This is the workflow the course followed: **try a pipeline → fine-tune a small model → scale up.**
#
# ## Exercises
#
# **1.** How much memory do the *weights* of Llama-3-70B need at fp16 and at int8, and how many
# Colab T4s (15 GiB each) would that be just to load it at int8?

# %%
# Solution
m70 = costs.MODELS["Llama-3-70B"]
fp16, int8 = (costs.weights_memory_bytes(m70.n_params, d) / costs.GiB for d in ("fp16", "int8"))
print(f"fp16 {fp16:.0f} GiB, int8 {int8:.0f} GiB -> {math.ceil(int8 / costs.T4.memory_gib)} T4s at int8")

# %% [markdown]
# **2.** The filter does not know IP addresses. Build a `ContentFilter` whose rules add a pattern
# for them to the default rules, and check that "server at 192.168.0.12" is masked.

# %%
# Solution
rules = cf.default_rules()
rules["personal-data"].append(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
ip_filter = cf.ContentFilter(rules)
print(ip_filter.apply("server at 192.168.0.12", mode="mask"))

# %% [markdown]
# **3.** The pronoun probe compared " he" and " she". Add " they" as a third group with
# `probes.group_probe` for three occupations. How much probability does " they" get?

# %%
# Solution
rows3 = probes.group_probe(llm.model, llm.tokenizer, ["nurse", "engineer", "teacher"], "The {} said that",
                           {"he": " he", "she": " she", "they": " they"})
print(probes.format_probe(rows3, group="they"))

# %% [markdown]
# **4. Checked exercise: corrupt data on purpose.** Section 1 made data worse letter by letter.
# Write `corrupt(texts, fraction, seed)`, which makes it worse word by word: of the N words of all
# the texts together, exactly round(fraction × N), at positions chosen at random, are each replaced
# by a *different* word drawn at random from the texts' own vocabulary. It returns a new list (the
# clean texts stay as they were), keeps every text's number of words, and gives the same result for
# the same seed. Run the cell: the checker tries it on small texts and tells you what went wrong.

# %%
# Exercise 4: write corrupt, then run this cell; the checker answers ✓ or says what to fix.
import random

from course_utils.learn.exercise import check_exercise


def corrupt(texts, fraction, seed):
    """texts: a list of strings. Returns a NEW list of the same length in which exactly round(fraction × N)
    of the N words of all texts (words as str.split() gives them), at random positions, are each replaced by a
    different word drawn at random from the vocabulary (every word that occurs in texts), joined with single
    spaces. The same seed gives the same result; the list passed in stays as it was."""
    raise NotImplementedError   # your code here


check_exercise("09.corrupt", corrupt)

# %%
# Solution 4
def corrupt(texts, fraction, seed):
    rng = random.Random(seed)                                 # our own generator: reproducible, global stream untouched
    words = [t.split() for t in texts]                        # new lists: the texts passed in stay as they were
    vocabulary = sorted({w for ws in words for w in ws})      # sorted: a set's order can change between runs
    positions = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    for i, j in rng.sample(positions, round(fraction * len(positions))):   # exactly that many, no position twice
        new = rng.choice(vocabulary)
        while new == words[i][j]:                             # a replacement must change the word
            new = rng.choice(vocabulary)
        words[i][j] = new
    return [" ".join(ws) for ws in words]


check_exercise("09.corrupt", corrupt)

# %% [markdown]
# **5. Checked exercise: cost by hand.** Write `cost_estimate(n_params, n_tokens, bits)`, which
# returns two numbers: the FLOPs to train a model of `n_params` parameters on `n_tokens` tokens
# (section 4's rule of thumb), and the bytes its weights take at `bits` bits per weight (32 for
# fp32, 16 for fp16, 8 for int8, 4 for int4). The checker compares it with `course_utils.training.costs`.

# %%
# Exercise 5: write cost_estimate, then run this cell; the checker answers ✓ or says what to fix.
def cost_estimate(n_params, n_tokens, bits):
    """Returns (training FLOPs, bytes of the weights at `bits` bits per weight)."""
    raise NotImplementedError   # your code here


check_exercise("09.cost", cost_estimate)

# %%
# Solution 5
def cost_estimate(n_params, n_tokens, bits):
    flops = 6 * n_params * n_tokens       # 2 FLOPs per parameter per token forward, 4 backward
    weight_bytes = n_params * bits / 8    # 8 bits make a byte
    return flops, weight_bytes


check_exercise("09.cost", cost_estimate)

# %%
# Solution check: the same numbers as section 4's table for GPT-2 small at 20 tokens per parameter.
flops_g2, bytes_g2 = cost_estimate(g2.n_params, costs.chinchilla_tokens(g2.n_params), 16)
assert math.isclose(flops_g2, est["flops"]) and bytes_g2 == costs.weights_memory_bytes(g2.n_params, "fp16")
print(f"GPT-2 small: {flops_g2:.3g} FLOPs to train, {bytes_g2 / costs.GiB:.2f} GiB of fp16 weights")

# %% [markdown]
# **6. Data quality (데이터 품질).** Replace 20 % of the words of the training text with your
# `corrupt`, train the same tiny GPT for the same 120 steps, and compare its held-out loss (on the
# clean held-out text) with the clean run and with section 1's 20 % letter noise. Which of the two
# kinds of damage hurts more, and why?

# %%
# Solution 6
# NBVAL_IGNORE_OUTPUT
# measured: a training run; its loss differs across CPUs, torch versions and seeds
word_noise = "\n".join(corrupt(train_text.split("\n"), 0.2, seed=SEED))
word_log = train_tiny(lm.encode(tok, word_noise))[1]
print(f"held-out loss after {STEPS} steps: clean {val['100 %']:.2f}, 20 % of the words replaced "
      f"{word_log.final_val_loss:.2f}, 20 % letter noise {val['100 %, 20 % letter noise']:.2f}")

# %%
# Solution check: the answer to exercise 6 (a large margin on every run we made; no band is claimed).
cu.expect("20 % replaced words end above the clean text's held-out loss and below 20 % letter noise's",
          val["100 %"] < word_log.final_val_loss < val["100 %, 20 % letter noise"])

# %% [markdown]
# *Answer.* Both kinds of damage cost held-out loss, and the letter noise costs more. A replaced
# word is still a real, correctly spelled word of the Bible; only its place is wrong. Noise of
# 20 % of the *letters* touches far more words: a four-letter word survives with probability
# 0.8⁴ ≈ 0.41, so most words get at least one wrong letter, and a misspelt word falls apart into
# rare tokens the clean text never uses. How much of the data is damaged depends on the unit you
# damage, not only on the percentage.
#
# **7. Mode collapse (모드 붕괴) in numbers.** Without training anything, place 1,000 points
# exactly on the ring's centres (`centers`): (a) 500 on each of two centres; (b) 930 on one centre
# and 10 on each of the other seven. Predict `modes_covered` and `effective_modes` for both, then
# check with `gan.mode_coverage`. Which number shows that (b) has collapsed?

# %%
# Solution 7
two_modes = centers[[0] * 500 + [4] * 500]
lopsided = centers[[0] * 930 + [m for m in range(1, 8) for _ in range(10)]]
for name, pts in [("(a) 500 on each of 2 centres", two_modes), ("(b) 930 on one, 10 on each other", lopsided)]:
    print(f"{name:<34} {gan.mode_coverage(pts, centers)}")

# %% [markdown]
# *Answer.* (a) covers 2 modes with 2.0 effective modes: an honest count of a collapse. (b)
# "covers" all 8, since each centre holds at least 1 % of the samples (10 of 1,000), but its
# effective modes, exp(entropy) = 1.5, say that almost everything sits in one mode. A count of
# modes hides a collapse that a spread measure reveals; that is why section 6 reports both.
#
# **8. Start small (작게 시작해서 확장).** Section 5's learning-rate sweep trained the tiny GPT
# four times for 80 steps. With 6 × N × D, what did the whole sweep cost in FLOPs? What would the
# same four runs cost for GPT-2 small, each trained to 20 tokens per parameter, in hours and
# dollars on an H100 (`costs.H100`)? How many tiny sweeps fit into a single GPT-2 small run?

# %%
# Solution 8
tiny_sweep = sum(costs.training_flops(tiny.n_params, log.tokens_seen) for log in lr_runs.values())
one_g2_run = costs.training_flops(g2.n_params, costs.chinchilla_tokens(g2.n_params))
sweep_hours = costs.training_hours(4 * one_g2_run, costs.H100.flops_per_second)
print(f"tiny sweep: 4 runs of {lr_runs[3e-3].tokens_seen:,} tokens, {tiny_sweep:.3g} FLOPs")
print(f"the same sweep on GPT-2 small: {4 * one_g2_run:.3g} FLOPs = {sweep_hours:.1f} hours, "
      f"${sweep_hours * costs.H100.usd_per_hour:.0f} on an H100")
print(f"one GPT-2 small run costs as much as {one_g2_run / tiny_sweep:,.0f} tiny sweeps")

# %% [markdown]
# *Answer.* The printed numbers are exact (the token counts and parameter counts are fixed).
# The tiny sweep costs a vanishing fraction of a single GPT-2 small run, a few seconds on a
# CPU, yet it showed what a sweep shows: too small barely moves, too large stalls, far too large
# diverges. So you find the range and the failure modes on the small model, then spend the large
# budget on a few runs near the good value (the best learning rate shifts somewhat with size, so
# check a couple of neighbours) instead of sweeping at full size.

# %% [markdown]
# ## Quiz (퀴즈)
#
# Eight questions on this lesson. Choose an answer and press **Check**, or call
# `answer("09", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("09")

# %% [markdown]
# ## Summary
#
# Each line names what your run measured above; the bands are the ones the claims check.
#
# - **Data quantity and quality**: the same tiny GPT, same 120 steps: held-out loss falls as the clean
#   text grows from 5 % to 25 % to 100 % (by at least 0.25 and 0.15); with 5 % the model memorises
#   (held-out loss at least 1.5 above its training loss); shuffled words end at least 0.5 and 20 %
#   letter noise at least 0.6 above the clean text.
# - **Bias**: SmolLM2 gives " she" more than half of the " he" + " she" probability on average, most
#   for nurse, secretary, teacher and librarian, but not as a clean split (doctor and engineer sit near
#   the mean); a second template moves the shares, and " he" + " she" get only a small part of the
#   probability. A tiny model trained on skewed text repeated the skew: every learned share was
#   within 0.18 of the data's.
# - **Harmful output**: a word-and-pattern filter blocked or masked profanity, threats, self-harm
#   and personal data, missed a rephrased threat, and flagged 6 of 12 tricky harmless texts.
# - **Compute and cost**: weights need 4/2/1 bytes per parameter (fp32/fp16/int8), Adam training
#   16 bytes plus activations (GPT-2 small: 12.9 GiB at batch 8 × 1,024); FLOPs ≈ 6 N D; GPT-2 small
#   on 2.5 B tokens: about 1.3 hours and $4 on an H100, a day on a Colab T4, far longer on a CPU; a 7B
#   model does not fit one GPU for training.
# - **Hyperparameters**: lr 3e-3 beat 1e-4 (too small), 3e-2 (too large) and 0.3 (diverged first);
#   at the same 80 steps batch 16 beat batch 4, but at the same number of tokens batch 4 (four times the
#   steps) ended lower; at lr 3e-2, 20 warm-up steps beat a single one.
# - **Mode collapse**: averaged over three seeds, the diffusion model covered all 8 modes and spread
#   its samples more evenly than the plain GAN and than each remedy; a lower learning rate helped the
#   GAN most.
# - **Workflow**: try a pipeline → fine-tune a small model → scale up.
# - **Exercises**: corrupting data word by word (checked: exact count, reproducible seed), FLOPs and
#   weight bytes by hand (6 × N × D, bits / 8), a count of modes that hides a collapse which effective
#   modes reveal, and a learning-rate sweep on the tiny model that costs a vanishing fraction of one
#   GPT-2 small run.
