# %% [markdown]
# # 05 · The generation loop and randomness
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week3/05_generation_loop_and_randomness.ipynb)
#
# A language model does not write text: it scores every possible **next token**. Everything
# else — greedy or creative, boring or wild — is a choice *we* make about how to pick from those
# scores. In this notebook you write that loop yourself and turn each knob: this is where randomness
# (랜덤성) enters generative AI (생성형 AI).
#
# **What you will learn**
# - the generation loop (생성 루프): tokens → logits → probabilities → choose → append → repeat
# - the KV cache (KV 캐시) and how much time it saves
# - greedy decoding (탐욕적 디코딩), sampling (샘플링), temperature (온도), top-k, top-p / nucleus
#   sampling (뉴클리어스 샘플링), repetition penalty (반복 페널티), beam search (빔 서치)
# - seeds (시드) and reproducibility (재현성)
# - the diversity (다양성) – quality (품질) trade-off, measured with distinct-n and log-likelihood (로그 우도)
# - degeneration (퇴화): repetition loops and word salad
#
# Runs in about 40 s on a 2-core CPU. Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

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
device = cu.setup_lesson("05")   # mode (online/offline and why), device, seed, models used
SEED = cu.lesson_seed()           # 0 here; the claims' evidence runs vary it

# %% [markdown]
# ## 1. The model and its next-token scores
#
# Online this lesson uses GPT-2; offline (here) it uses **SmolLM2-135M-Instruct**, a real
# 135-million-parameter model installed from PyPI. The line below says which one ran and why.

# %%
import matplotlib.pyplot as plt
import torch

from course_utils.sampling import generation as G
from course_utils.plots import bars
from course_utils.sampling import logits as S

lm = cu.load_model("text-generation")
model, tok = lm
print(f"{model.num_parameters() / 1e6:.1f} M parameters, vocabulary of {len(tok):,} tokens")

# %% [markdown]
# ## 2. The generation loop by hand (생성 루프)
#
# One step: feed the token ids, take the **logits** (one score per vocabulary entry) at the last
# position, turn them into probabilities with softmax, choose a token, append it, repeat.
# Here we *choose* greedily: always the most likely token.

# %%
prompt = "Once upon a time"
ids = tok(prompt, return_tensors="pt")["input_ids"].to(model.device)   # the ids go where the model is (GPU on Colab)
with torch.no_grad():
    for step in range(6):
        logits = model(input_ids=ids).logits[0, -1]            # a score for every token in the vocabulary
        probs = torch.softmax(logits, dim=-1)                  # scores -> probabilities (sum to 1)
        next_id = int(torch.argmax(probs))                     # greedy: take the most likely token
        ids = torch.cat([ids, torch.tensor([[next_id]], device=ids.device)], dim=1)   # append it and go again
        print(f"step {step}: {tok.decode([next_id])!r:12} p = {probs[next_id]:.3f}")
print(tok.decode(ids[0]))

# %% [markdown]
# `course_utils.sampling.generation.generate_by_hand` is the same loop with all the knobs of this lesson.
# Does it agree with the library's own `model.generate`? Greedy decoding has no randomness, so
# the two must produce exactly the same tokens.

# %%
greedy = G.generate_by_hand(model, tok, prompt, 20)
prompt_ids = tok(prompt, return_tensors="pt")["input_ids"].to(model.device)
library = model.generate(prompt_ids, attention_mask=torch.ones_like(prompt_ids), do_sample=False,
                         max_new_tokens=20, pad_token_id=tok.pad_token_id)[0, prompt_ids.shape[1]:].tolist()
print("by hand:         ", repr(greedy.text))
print("model.generate:  ", repr(tok.decode(library, skip_special_tokens=True)))

# %%
# Self-check: the hand-written greedy loop picks exactly the tokens model.generate picks.
assert greedy.token_ids == library, (greedy.token_ids, library)
print("identical:", len(library), "tokens")

# %% [markdown]
# ## 3. The KV cache (KV 캐시)
#
# Attention needs, for every earlier token, its *key* and *value* vectors. Without a cache the
# loop above recomputes them for the whole text at every step. With the **KV cache** the model
# stores them and each step feeds only the one new token. Same tokens, less work — most visible
# with a long prompt. The timings below are whatever this machine measured just now (other
# programs running at the same time change them); `benchmarks/bench_generation.py` measures the
# speed-up properly, with repeats.

# %%
long_prompt = "The history of the printing press begins in the fifteenth century. " * 12
n_prompt = len(tok(long_prompt)["input_ids"])
with_cache = G.generate_by_hand(model, tok, long_prompt, 12, use_cache=True)
without_cache = G.generate_by_hand(model, tok, long_prompt, 12, use_cache=False)
print(f"prompt: {n_prompt} tokens, 12 new tokens")
print(f"with KV cache:    {with_cache.seconds:.2f} s")
print(f"without KV cache: {without_cache.seconds:.2f} s")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a ratio of two timings changes from run to run and machine to machine
print(f"speed-up from the KV cache: {without_cache.seconds / with_cache.seconds:.1f}x")

# %%
# Self-check: the cache changes the speed, not the result.
# (No check on the timings: one short run beside other programs proves nothing either way;
# benchmarks/bench_generation.py measures the speed-up with repeats.)
assert with_cache.token_ids == without_cache.token_ids
print("same tokens with and without the KV cache")

# %% [markdown]
# ## 4. Changing the distribution: temperature, top-k, top-p, repetition penalty
#
# All the sampling knobs are small functions on the logits (in `course_utils.sampling.logits`, tested
# against the logits processors inside `transformers`):
#
# | knob | what it does to the logits |
# |---|---|
# | temperature (온도) *T* | divide by *T*: *T* < 1 sharpens, *T* > 1 flattens |
# | top-k | keep the *k* highest, set the rest to −∞ (probability 0) |
# | top-p (뉴클리어스 샘플링) | keep the fewest most likely tokens whose probabilities add up to *p* |
# | repetition penalty (반복 페널티) | make tokens already in the text less likely |
#
# Greedy takes the top bar; **sampling** draws a token at random with these probabilities.
# Below: the same prompt, before (grey) and after (orange) each transformation.
#
# **Predict first (먼저 예측하기):** at temperature 0.5, does the top bar get taller or shorter than
# the model's own? And how many tokens does top-p = 0.5 keep after "The best thing about summer is":
# about 2, about 20, or about 2,000? Write your guesses down, then run the next two cells.

# %%
PROMPT = "The best thing about summer is"
raw = G.next_token_distribution(model, tok, PROMPT)     # logits, computed once and cached
after = {
    "temperature 0.5": S.apply_temperature(raw, 0.5),
    "temperature 1.5": S.apply_temperature(raw, 1.5),
    "top-k = 5": S.top_k_filter(raw, 5),
    "top-p = 0.5": S.top_p_filter(raw, 0.5),
    # pretend " the" and " that" are already in the text: the penalty pushes them down
    "repetition penalty 3 on ' the', ' that'": S.repetition_penalty(raw, tok(" the that")["input_ids"], 3.0),
}
fig, axes = plt.subplots(2, 3, figsize=(14, 6.5), layout="constrained")
greedy_probs = torch.zeros_like(raw)
greedy_probs[S.greedy(raw)] = 1.0
bars.plot_before_after(tok, raw, greedy_probs, title="greedy (all mass on the top token)",
                       labels=("model", "greedy"), top=8, ax=axes[0, 0])
for ax, (name, logits) in zip(axes.flat[1:], after.items()):
    bars.plot_before_after(tok, raw, S.to_probs(logits), title=name, labels=("model", name), top=8, ax=ax)
plt.show()

# %%
p_raw = S.to_probs(raw)
print(f"{'setting':38} tokens possible   p(top)   p(' the')")
the_id = tok(" the", add_special_tokens=False)["input_ids"][0]
for name, logits in {"model (temperature 1)": raw, **after}.items():
    p = S.to_probs(logits)
    print(f"{name:38} {int((p > 0).sum()):>15,}   {float(p.max()):.3f}    {float(p[the_id]):.3f}")

# %%
# Self-check: each knob does what the table says.
p05, p15 = S.to_probs(after["temperature 0.5"]), S.to_probs(after["temperature 1.5"])
assert p05.max() > p_raw.max() > p15.max()                       # low T sharpens, high T flattens
assert int((S.to_probs(after["top-k = 5"]) > 0).sum()) == 5        # top-k keeps exactly k
kept = S.to_probs(after["top-p = 0.5"]) > 0
assert p_raw[kept].sum() >= 0.5                                    # top-p keeps at least half the mass
assert all(abs(float(S.to_probs(l).sum()) - 1) < 1e-5 for l in after.values())
print("temperature, top-k and top-p behave as described")
cu.expect("after this prompt, fewer than 10 tokens carry half the probability", int(kept.sum()) < 10)

# %% [markdown]
# **Check your prediction.** Low temperature sharpens (the top bar grows), high temperature flattens,
# and top-p keeps only the few tokens that carry half the mass: the "tokens possible" column above
# says how few. Top-k keeps the same number of tokens after every prompt; top-p adapts to how sure
# the model is.

# %% [markdown]
# ## 5. Seeds (시드): same seed, same text; new draws, new texts
#
# Sampling draws random numbers. A **seed** fixes them: the same seed and settings always give
# the same text (on the same software and hardware), different seeds give different texts.
#
# **Predict first (먼저 예측하기):** we sample twice with seed 1, then six times in one batch from another seed.
# How many *different* texts do you expect among the first two? Among the six?

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text differs across CPUs and torch versions (on one machine a seed repeats it exactly)
a = G.generate_by_hand(model, tok, PROMPT, 20, temperature=0.8, seed=1)
b = G.generate_by_hand(model, tok, PROMPT, 20, temperature=0.8, seed=1)
print("seed 1:      ", repr(a.text))
print("seed 1 again:", repr(b.text))
many = G.sample_candidates(model, tok, PROMPT, 6, 20, temperature=0.8, seed=SEED + 7)   # 6 samples in one batch
for i, c in enumerate(many):
    print(f"sample {i}:    ", repr(tok.decode(c, skip_special_tokens=True)))

# %%
# Self-check: a seed reproduces a sample exactly; different draws spread out.
assert a.token_ids == b.token_ids
print("the same seed gave exactly the same tokens")
cu.claim("different texts among 6 draws at temperature 0.8", len({tuple(c) for c in many}), at_least=5, digits=0)

# %% [markdown]
# **Check your prediction.** One text among the first two: seed 1 drew exactly the same tokens both
# times (the assert above checks it). The six draws from another seed spread out: the claim above
# checks that at least 5 of the 6 are different texts. New draws, new texts.
#
# ## 6. Beam search (빔 서치)
#
# Greedy commits to one token at a time. **Beam search** (back on "Once upon a time") keeps the `num_beams` best partial
# texts at every step and returns the one with the highest total log-probability. It searches
# for the *most likely* text; it does not add variety.

# %%
beam_ids = model.generate(prompt_ids, attention_mask=torch.ones_like(prompt_ids), do_sample=False, num_beams=4,
                          max_new_tokens=16, pad_token_id=tok.pad_token_id)[0, prompt_ids.shape[1]:].tolist()
beam_ids = [t for t in beam_ids if t != tok.eos_token_id]
greedy_ids = greedy.token_ids[:16]        # the greedy tokens from section 2 ("Once upon a time")
ll_greedy, ll_beam = G.mean_log_likelihood(model, tok, prompt, [greedy_ids, beam_ids])
total_greedy, total_beam = ll_greedy * len(greedy_ids), ll_beam * len(beam_ids)
print(f"greedy: total log p = {total_greedy:7.2f}  {tok.decode(greedy_ids)!r}")
print(f"beam 4: total log p = {total_beam:7.2f}  {tok.decode(beam_ids)!r}")

# %%
# Self-check: here beam search found a text the model finds more likely than the greedy one.
assert total_beam > total_greedy
print(f"beam search gained {total_beam - total_greedy:.2f} in total log-probability")

# %% [markdown]
# ## 7. Diversity (다양성) versus quality (품질) across temperatures
#
# Two numbers per temperature, from 6 samples of 24 tokens each:
# - **distinct-2**: distinct token pairs / all token pairs — high means varied text;
# - **mean log-likelihood**: how probable the model itself finds its text at temperature 1 —
#   a rough *quality* proxy (higher = more fluent by the model's own standard).

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text, and so both numbers, differ across CPUs, torch versions and seeds
temperatures = [0.3, 0.7, 1.0, 1.3, 1.7]
diversity, quality, samples = [], [], {}
for t in temperatures:
    cands = G.sample_candidates(model, tok, PROMPT, 6, 24, temperature=t, seed=SEED)
    cands = [c for c in cands if c] or cands          # drop empty ones (EOS at once), if any
    samples[t] = tok.decode(cands[0], skip_special_tokens=True)
    diversity.append(G.distinct_n(cands, 2))
    quality.append(sum(G.mean_log_likelihood(model, tok, PROMPT, cands)) / len(cands))
    print(f"T = {t:.1f}: distinct-2 = {diversity[-1]:.2f}, mean log-likelihood = {quality[-1]:.2f}")

# %%
fig, ax = plt.subplots(figsize=(5.5, 4))
ax.plot(diversity, quality, "o-")
for t, x, y in zip(temperatures, diversity, quality):
    ax.annotate(f"T={t}", (x, y), textcoords="offset points", xytext=(6, 4))
ax.set_xlabel("diversity: distinct-2 (higher = more varied)")
ax.set_ylabel("quality proxy: mean log-likelihood")
ax.set_title("the temperature trade-off")
plt.show()

# %%
# Self-check: what this section claims (6 samples per temperature).
cu.claim("distinct-2 at temperature 1.7 minus distinct-2 at temperature 0.3", diversity[-1] - diversity[0], at_least=0.1)
cu.claim("mean log-likelihood at temperature 0.3 minus at temperature 1.7", quality[0] - quality[-1], at_least=5.0)

# %% [markdown]
# ## 8. Degeneration (퇴화): repetition loops and word salad
#
# Both ends of the trade-off fail. Greedy decoding often falls into a **loop**; a repetition
# penalty breaks it. Very high temperature gives **word salad**.

# %%
loop_prompt = "The cat sat on the mat. The cat"
looped = G.generate_by_hand(model, tok, loop_prompt, 40)
penalised = G.generate_by_hand(model, tok, loop_prompt, 40, repetition_penalty=1.3)
print(f"greedy (distinct-2 = {G.distinct_n(looped.token_ids, 2):.2f}):\n  {looped.text!r}")
print(f"greedy + repetition penalty 1.3 (distinct-2 = {G.distinct_n(penalised.token_ids, 2):.2f}):\n  {penalised.text!r}")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: a sampled text (the first temperature-1.7 sample of section 7)
print(f"temperature 1.7 (word salad):\n  {samples[1.7]!r}")

# %%
# Self-check: the greedy text repeats itself; the penalty removes the loop (greedy: the same on every run).
cu.expect("the greedy text loops (under half its word pairs distinct) and the penalty breaks the loop",
          G.distinct_n(looped.token_ids, 2) < 0.5 < G.distinct_n(penalised.token_ids, 2))
# word salad: the model itself finds its temperature-1.7 text very improbable (measured, sampled)
cu.claim("mean log-likelihood per token of the temperature 1.7 samples", quality[-1], at_most=-5.0)

# %% [markdown]
# ## 9. The sampling playground
#
# Move the sliders: the chart redraws at once from cached logits (no model call). Press
# **Generate** for a sampled continuation; the widget prints the line of code that reproduces it.
# Try temperature 0 to see the message it gives.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.sampling.playground import sampling_view
from course_utils.widgets.text import sampling_playground
sampling_playground(model, tok, PROMPT)

# %% [markdown]
# The widget calls a plain function, which you can call too:

# %%
fig, summary = sampling_view(model, tok, PROMPT, temperature=0.7, top_k=20, top_p=0.9)
print(summary)

# %% [markdown]
# ## Exercises
#
# 1. On the summer prompt, at which of the temperatures 0.2, 0.4, …, 2.0 does the most likely
#    token's probability first fall below 0.1? (Use the cached logits `raw`: no model call.)
# 2. Show that sampling with `top_k=1` is greedy decoding, whatever the seed (5 seeds, 10 tokens).
# 3. **Checked exercise.** Write top-p yourself, on probabilities: `top_p_filter(probs, p)` keeps the
#    fewest most likely tokens whose probabilities add up to at least `p`, sets the others to 0 and
#    divides the kept ones by their sum. Run the cell: the checker compares your function with
#    transformers' own `TopPLogitsWarper` on small cases and tells you what went wrong.

# %%
# Exercise 3: write top_p_filter, then run this cell; the checker answers ✓ or says what to fix.
from course_utils.learn.exercise import check_exercise


def top_p_filter(probs, p):
    """probs: a 1-D tensor of probabilities. Returns a tensor of the same shape: the fewest most likely
    tokens whose probabilities add up to at least p keep their probability (renormalised), the rest 0."""
    raise NotImplementedError   # your code here


check_exercise("05.top_p", top_p_filter)

# %%
# Solution 1
for t in [round(0.2 * i, 1) for i in range(1, 11)]:
    top = float(S.to_probs(S.apply_temperature(raw, t)).max())
    if top < 0.1:
        print(f"at T = {t} the top token has p = {top:.3f}")
        break

# %%
# Solution 2
reference = G.generate_by_hand(model, tok, PROMPT, 10).token_ids
runs = [G.generate_by_hand(model, tok, PROMPT, 10, top_k=1, seed=s).token_ids for s in range(5)]
print(all(r == reference for r in runs))

# %%
# Solution 3
def top_p_filter(probs, p):
    sorted_probs, order = torch.sort(probs, descending=True)
    before = torch.cumsum(sorted_probs, dim=0) - sorted_probs   # mass of the tokens ranked above each one
    keep = before < p                                           # so the token that crosses p stays in
    out = torch.zeros_like(probs)
    out[order[keep]] = sorted_probs[keep]
    return out / out.sum()


check_exercise("05.top_p", top_p_filter)

# %% [markdown]
# ## Quiz (퀴즈)
#
# Six questions on this lesson. Choose an answer and press **Check**, or call
# `answer("05", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("05")

# %% [markdown]
# ## Summary
#
# - Generation is a loop: logits → probabilities → choose → append. Our hand-written loop gave
#   **exactly** the same 20 greedy tokens as `model.generate`.
# - The KV cache gave exactly the same tokens with a 145-token prompt while feeding one token
#   per step instead of the whole text; the timings above show what that saved on this machine
#   (`benchmarks/bench_generation.py` measures it with repeats).
# - Temperature reshapes the distribution (p(top) as printed at T = 1; higher at 0.5, lower at 1.5, checked);
#   top-k = 5 keeps exactly 5 tokens; top-p = 0.5 keeps the few tokens carrying half the mass.
# - A seed reproduces a sample exactly; 6 samples drawn in one batch gave (at least 5) different texts.
# - Beam search (4 beams) found a 16-token continuation with a higher total log-probability
#   than greedy's (the totals in section 6).
# - From temperature 0.3 to 1.7, distinct-2 rose and the mean log-likelihood fell by several
#   nats per token: diversity and fluency trade off (plot and claims in section 7).
# - Greedy decoding looped (distinct-2 below 0.5); a repetition penalty of 1.3 broke the loop;
#   temperature 1.7 produced word salad the model itself finds improbable.
