# %% [markdown]
# # 06 · Conditioning: same model, different conditions, different text
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week3/06_conditioning.ipynb)
#
# A generative model samples from p(next token | everything before). "Everything before" is
# the **condition**. Change it — a prefix, a system message, a few examples — and the
# distribution changes, without touching a single weight.
#
# **What you will learn**
# - conditioning (조건성): p(next token | condition) and how to measure its shift
# - prompt prefixes (프롬프트 접두사), system messages (시스템 메시지) through the chat template
#   (채팅 템플릿), few-shot examples (퓨샷 예시)
# - sentiment-conditioned generation (감성 조건 생성): generate candidates, keep those a classifier
#   (분류기) labels as asked, and measure the acceptance rate (수락률)
# - stopping and length (정지 조건과 길이): max new tokens, stop strings, end-of-sequence (EOS)
# - (exercise 3) classifier-free guidance (분류기 없는 가이던스) on next-token logits: with and without the
#   condition, then push past it
#
# Runs in about 20 s on a 2-core CPU. Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

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
device = cu.setup_lesson("06")   # mode (online/offline and why), device, seed, models used
SEED = cu.lesson_seed()           # 0 here; the claims' evidence runs vary it

# %% [markdown]
# ## 1. Two models: a chat model that writes, a classifier that judges
#
# The writer is the chat model (SmolLM2-135M-Instruct, offline and online). The judge is the
# Week 1 sentiment classifier (offline: MiniLM fine-tuned on tweets by the course).

# %%
import matplotlib.pyplot as plt
import torch

from course_utils.sampling import generation as G
from course_utils.plots import bars
from course_utils.sampling import logits as S

model, tok = cu.load_model("chat")
judge = cu.load_pipeline("sentiment")

# %% [markdown]
# ## 2. A prompt prefix (프롬프트 접두사) shifts p(next token | condition)
#
# The same half-sentence, after three different prefixes. We add up the probability of seven
# positive and seven negative adjectives as the next token. (One forward pass per prefix, no
# sampling: these numbers are the same on every run.)
#
# **Predict first (먼저 예측하기):** after the negative prefix, does *every* negative word get more likely and
# every positive word less likely? After the positive prefix, does every positive word gain? And will any
# of these 14 words be the single most likely next token? Write your guesses down, then run the next three
# cells.

# %%
BASE = "My review in one word: the film was"
PREFIXES = {"no prefix": "", "positive prefix": "I loved every minute of it. ",
            "negative prefix": "It was a total waste of money. "}
POSITIVE = [" great", " amazing", " good", " fun", " wonderful", " fantastic", " brilliant"]
NEGATIVE = [" terrible", " boring", " bad", " awful", " disappointing", " horrible", " dull"]
pos_ids = [tok(w, add_special_tokens=False)["input_ids"][0] for w in POSITIVE]
neg_ids = [tok(w, add_special_tokens=False)["input_ids"][0] for w in NEGATIVE]

dists = {name: S.to_probs(G.next_token_distribution(model, tok, pre + BASE)) for name, pre in PREFIXES.items()}
mass = {name: (float(p[pos_ids].sum()), float(p[neg_ids].sum())) for name, p in dists.items()}
for name, (pp, pn) in mass.items():
    print(f"{name:16} p(positive word) = {pp:.3f}   p(negative word) = {pn:.3f}")

# %%
COLOURS = {"no prefix": "C7", "positive prefix": "C2", "negative prefix": "C3"}
fig, axes = plt.subplots(1, 3, figsize=(15, 3.8), layout="constrained", width_ratios=[2, 3.5, 3.5])
panels = [("sum over the word list", ["7 positive words", "7 negative words"], lambda p: [p[pos_ids].sum(), p[neg_ids].sum()]),
          ("each positive word", [w.strip() for w in POSITIVE], lambda p: p[pos_ids]),
          ("each negative word", [w.strip() for w in NEGATIVE], lambda p: p[neg_ids])]
for i, (ax, (title, names, values)) in enumerate(zip(axes, panels)):
    bars.grouped_bars({cond: values(p) for cond, p in dists.items()}, names, ax=ax, colours=COLOURS,
                      title=title, ylabel="p(next token)" if i == 0 else "", legend=(i == 2), legend_title="condition")
fig.suptitle("p(next token | condition): the sentiment words after each prefix")
plt.show()

# %%
# Self-check: each prefix moves probability towards its own kind of word.
cu.expect("the positive prefix more than doubles the positive words' probability",
          mass["positive prefix"][0] > 2 * mass["no prefix"][0])
cu.expect("the negative prefix more than doubles the negative words' probability",
          mass["negative prefix"][1] > 2 * mass["no prefix"][1])

# %% [markdown]
# **Check your prediction.** Left: the sums printed above. Middle and right: each word on its own. The negative prefix
# raises every negative word (" terrible" about tenfold) and lowers every positive one. The
# positive prefix's gain comes mostly from " amazing", with " great" and " good"; " brilliant"
# even falls, so a shift is a change of the whole distribution, not of every word alike. None of
# these words is the most likely next token after any prefix: that is " a" ("the film was a ..."),
# which is why even the largest sum stays below 0.1.

# %% [markdown]
# ## 3. A system message (시스템 메시지) through the chat template (채팅 템플릿)
#
# Chat models are trained on conversations written in a fixed format: the **chat template**.
# A system message is just more text at the start of that format:

# %%
print(G.chat_prompt(tok, "What should I cook tonight?", system="You are a pirate."))

# %% [markdown]
# Same question, same seed, with and without a system message (this is the function behind
# the conditioning playground in section 7):

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text (temperature 0.7) differs across CPUs and torch versions
from course_utils.sampling.playground import conditioned_outputs

res = conditioned_outputs(model, tok, "What should I cook tonight?", "system message", "grumpy chef",
                          seed=0, max_new_tokens=30)
for label, text in res.items():
    print(f"── {label}\n{text}\n")

# %% [markdown]
# Read the replies with a critical eye: this is a **135-million-parameter** model. The system
# message does change the reply (it is the only difference), but a model this small follows a
# persona loosely. When this notebook was built, the "grumpy French chef" answered in broken
# French full of invented words, and was not grumpy at all; your machine may sample another
# reply, but expect the same kind of weakness (the plain reply, too, may wander off the
# question). Chat models with billions of parameters follow such system messages far more
# faithfully. Change `seed=` to see other samples.
#
# A system message shifts the distribution of the very first token of the reply too (one
# forward pass, no sampling):

# %%
no_sys = S.to_probs(G.next_token_distribution(model, tok, G.chat_messages("What should I cook tonight?")))
with_sys = S.to_probs(G.next_token_distribution(
    model, tok, G.chat_messages("What should I cook tonight?", system="You answer with exactly one word.")))
fig, ax = plt.subplots(figsize=(7, 3.4))
bars.plot_before_after(tok, no_sys, with_sys, labels=("no system message", "'answer with one word'"),
                       title="first token of the reply", top=8, ax=ax)
plt.show()

# %% [markdown]
# "Answer with exactly one word" moves the first token ("The" falls, "I" becomes the most
# likely), yet the likely first tokens still open a sentence ("I", "To", "The") rather than
# name a dish: the small model notices the system message more than it obeys it.

# %% [markdown]
# ## 4. Few-shot examples (퓨샷 예시)
#
# Examples in the prompt tell the model the *format* of the answer. We ask for the sentiment of
# six reviews, as the next word after "Sentiment:", with no examples and with four.
#
# **Predict first (먼저 예측하기):** without examples, will " positive" or " negative" get more than half of
# the probability of the next word after "Sentiment:"? With four examples? And which matters more
# here: the model *knowing* sentiment, or knowing what kind of word to write?

# %%
REVIEWS = [("I loved this phone, it works perfectly.", "positive"),
           ("Terrible service, I will never come back.", "negative"),
           ("The food was delicious and the staff were kind.", "positive"),
           ("It broke after two days. Waste of money.", "negative"),
           ("Best concert I have been to in years!", "positive"),
           ("The hotel room was dirty and smelled bad.", "negative")]
SHOTS = ("Review: What a wonderful day at the park.\nSentiment: positive\n\n"
         "Review: The bus was late again and I missed my exam.\nSentiment: negative\n\n"
         "Review: Great coffee and friendly people.\nSentiment: positive\n\n"
         "Review: My order arrived broken.\nSentiment: negative\n\n")
label_ids = {lab: tok(" " + lab, add_special_tokens=False)["input_ids"][0] for lab in ("positive", "negative")}
few_shot = {}
for name, shots in [("zero-shot", ""), ("4-shot", SHOTS)]:
    correct, label_mass = 0, 0.0
    for review, label in REVIEWS:
        p = S.to_probs(G.next_token_distribution(model, tok, f"{shots}Review: {review}\nSentiment:"))
        guess = max(label_ids, key=lambda lab: float(p[label_ids[lab]]))
        correct += guess == label
        label_mass += float(p[label_ids["positive"]] + p[label_ids["negative"]])
    few_shot[name] = (correct / len(REVIEWS), label_mass / len(REVIEWS))
    print(f"{name:9}: accuracy {few_shot[name][0]:.2f}, "
          f"p(next word is ' positive' or ' negative') = {few_shot[name][1]:.3f}")

# %%
# Self-check: with examples, the model answers in the asked format far more often.
cu.expect("with 4 examples the label words become the likely next token (p > 0.5); without, not",
          few_shot["4-shot"][1] > 0.5 > few_shot["zero-shot"][1])

# %% [markdown]
# **Check your prediction.** Without examples the two label words get only a small share of the
# probability (the p printed above): the model has no idea that one word, " positive" or " negative",
# is expected, and would rather continue with something else. Four examples make them the likely
# next word. Nothing was learned: the weights are the same; the examples are part of the condition
# and show the *format* of the answer. Compare the two accuracies printed above: they only ask which
# of the two label words is more likely, and the model could already tell the reviews apart that way
# without examples. What the examples added is the format, not knowledge of sentiment.

# %% [markdown]
# ## 5. Sentiment-conditioned generation (감성 조건 생성) with a judge
#
# We want sentences of a given sentiment. Two tools: **steer** (ask for it in the prompt) and
# **filter** (generate several candidates, keep those the classifier labels as asked). The
# **acceptance rate** (수락률) is the share of candidates kept. 32 candidates of 16 tokens per
# condition, one batched call each, the same seed; a rate over 32 samples moves by about ±0.1
# from seed to seed, so the claims below check differences larger than that.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled candidates (and so the judge's counts) differ across CPUs, torch versions and seeds
N_CANDIDATES = 32
TOPIC = "Write one sentence about your day at the beach."
ASKS = {"no instruction": TOPIC,
        "asked: positive": TOPIC + " Make it very happy and positive.",
        "asked: negative": TOPIC + " Make it very sad, angry and negative."}
judged = {}
for name, user in ASKS.items():
    cands = G.sample_candidates(model, tok, G.chat_messages(user), N_CANDIDATES, 16,
                                temperature=0.8, seed=SEED)
    texts = [tok.decode(c, skip_special_tokens=True).strip() for c in cands]
    judged[name] = list(zip(texts, [o["label"] for o in judge(texts)]))
    counts = {lab: sum(l == lab for _, l in judged[name]) for lab in ("positive", "neutral", "negative")}
    print(f"{name:15} labels by the judge: {counts}")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: acceptance rates over sampled candidates; the claims below check what they show
def acceptance(name, wanted):
    return sum(label == wanted for _, label in judged[name]) / len(judged[name])

rates = {(name, wanted): acceptance(name, wanted) for name in ASKS for wanted in ("positive", "negative")}
print(f"{'condition':15} accept 'positive'   accept 'negative'")
for name in ASKS:
    print(f"{name:15} {rates[name, 'positive']:>17.2f}   {rates[name, 'negative']:>17.2f}")
print("\nfirst 6 kept for 'negative' (asked: negative):")
for text in [text for text, label in judged["asked: negative"] if label == "negative"][:6]:
    print("  -", text[:100])

# %%
fig, ax = plt.subplots(figsize=(8, 3.4), layout="constrained")
labels = ("positive", "neutral", "negative")
shares = {lab: [sum(l == lab for _, l in judged[n]) / len(judged[n]) for n in ASKS] for lab in labels}
bars.grouped_bars(shares, ASKS, ax=ax, colours={"positive": "C2", "neutral": "C7", "negative": "C3"},
                  ylabel=f"share of {N_CANDIDATES} candidates", legend_title="judge's label",
                  title="what the sentiment judge says about the candidates")
ax.set_ylim(0, 1)
plt.show()

# %%
# Self-check: what this section claims (rates over 32 sampled candidates per condition).
cu.claim("asking for negative raises the share judged negative by at least this much",
         rates["asked: negative", "negative"] - rates["no instruction", "negative"], at_least=0.2)
cu.claim("share judged positive when asked positive minus when asked negative",
         rates["asked: positive", "positive"] - rates["asked: negative", "positive"], at_least=0.2)

# %% [markdown]
# Asking works, unevenly. A day at the beach is already a happy topic: with no instruction the
# judge calls a third to a half of the candidates positive (most others neutral) and few negative, so
# asking for "positive" adds less than one might expect: across seeds its
# gain over no instruction ranged from about 0.1 to 0.4, too unsteady to claim. Asking for
# "negative" is what reliably moves the judge. Filtering then keeps only the accepted ones, but
# it is only as good as its judge: a tweet classifier looks at words, so a kept "negative" line
# can be a reply *about* negativity (e.g. "Here's a sadder sentence: ...") rather than a sad
# sentence, and a 135M writer does not always write one sentence about the beach at all.

# %% [markdown]
# ## 6. Stopping and length (정지 조건과 길이)
#
# Generation stops at the first of: **max_new_tokens** reached, a **stop string** appears, or the
# model emits the **end-of-sequence** token (EOS; for this chat model `<|im_end|>`, the end of a turn).

# %%
question = G.chat_messages("What is the capital of France?")
runs = {"short": dict(max_new_tokens=4), "full": dict(max_new_tokens=40),
        "cut": dict(max_new_tokens=40, stop_strings=[" is"])}
results = {}
for name, kwargs in runs.items():
    r = results[name] = G.generate_by_hand(model, tok, question, **kwargs)
    print(f"{str(kwargs):45} stopped by {r.stopped_by:15} {len(r.token_ids):>2} tokens: {r.text!r}")
print(f"EOS token: {tok.eos_token!r}")

# %%
# Self-check: each stopping rule ends the text where it should.
short, full, cut = results["short"], results["full"], results["cut"]
assert short.stopped_by == "max_new_tokens" and len(short.token_ids) == 4
assert " is" not in cut.text and full.text.startswith(cut.text)
cu.expect("the full answer ends by itself (EOS) within 40 tokens", full.stopped_by == "eos" and len(full.token_ids) < 40)
cu.expect("the answer contains ' is', and the stop string cuts it there", cut.stopped_by == "stop string")

# %% [markdown]
# ## 7. The conditioning playground
#
# Pick a condition (sentiment, style, or a system message), press **Compare**: left without,
# right with the condition, the same seed. Change the seed to see other samples.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.text import conditioning_playground
conditioning_playground(model, tok, "Describe your weekend.")

# %% [markdown]
# ## Exercises
#
# 1. Write your own prefix for `BASE` that makes " boring" more likely than " great". Measure it.
# 2. From the "no instruction" candidates of section 5, which would a "neutral" request keep?
# 3. **Checked exercise: classifier-free guidance (분류기 없는 가이던스) on next-token logits.** A condition
#    changes the logits; guidance pushes *further* in the direction the condition moved them. Run the
#    model with the condition (logits `cond`) and without it (`uncond`), then
#    `guided_logits(cond, uncond, scale)` = uncond + scale · (cond − uncond). The scale γ is what
#    transformers calls `guidance_scale`: γ = 1 gives the conditional logits, γ = 0 the unconditional
#    ones, γ > 1 follows the condition harder (lesson 07 writes the same formula for images with
#    w = γ − 1). The checker compares your function with transformers' own
#    `ClassifierFreeGuidanceLogitsProcessor`. Then try it on section 2: the negative prefix as the
#    condition, no prefix as the unconditional input, γ = 0, 1, 2 and 4. Which words come out on top?

# %%
# Exercise 3: write guided_logits, then run this cell; the checker answers ✓ or says what to fix.
from course_utils.learn.exercise import check_exercise


def guided_logits(cond, uncond, scale):
    """cond, uncond: next-token logits with and without the condition (tensors of the same shape).
    Returns uncond + scale * (cond - uncond): scale 1 = the conditional logits, 0 = the unconditional ones."""
    raise NotImplementedError   # your code here


check_exercise("06.guidance", guided_logits)

# %%
# Solution 1
p = S.to_probs(G.next_token_distribution(model, tok, "I fell asleep halfway through. " + BASE))
boring, great = tok(" boring", add_special_tokens=False)["input_ids"][0], tok(" great", add_special_tokens=False)["input_ids"][0]
print(f"p(' boring') = {float(p[boring]):.3f}, p(' great') = {float(p[great]):.3f}")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the candidates are sampled, so which ones the judge calls neutral differs from run to run
# Solution 2
kept = [text for text, label in judged["no instruction"] if label == "neutral"]
print(f"acceptance rate for 'neutral': {len(kept) / len(judged['no instruction']):.2f} ({len(kept)} of {len(judged['no instruction'])})")
for text in kept[:5]:
    print("  -", text[:100])

# %%
# Solution 3
def guided_logits(cond, uncond, scale):
    return uncond + scale * (cond - uncond)   # the difference the condition makes, scaled, on top of uncond


check_exercise("06.guidance", guided_logits)

# %%
# Solution 3 (continued): guidance on section 2's logits (one forward pass each, cached: the same on every run)
cond = G.next_token_distribution(model, tok, PREFIXES["negative prefix"] + BASE)
uncond = G.next_token_distribution(model, tok, BASE)
guided = {}
for scale in (0, 1, 2, 4):
    guided[scale] = p = S.to_probs(guided_logits(cond, uncond, scale))
    top = ", ".join(repr(tok.decode([int(i)])) for i in p.topk(3).indices)
    print(f"γ = {scale}: p(negative word) = {float(p[neg_ids].sum()):.3f}, p(positive word) = "
          f"{float(p[pos_ids].sum()):.3f}; most likely: {top}")
cu.expect("γ = 2 gives the 7 negative words more probability than the plain conditional model (γ = 1)",
          guided[2][neg_ids].sum() > guided[1][neg_ids].sum())
# γ = 0 is the model without prefix, γ = 1 the model with it. At γ = 2 the top tokens are harsh judgements
# the prefix made more likely; at γ = 4 the push is so strong that a few such words take almost all the
# probability and even the 7 listed negative words fall towards 0: too much guidance overshoots.

# %% [markdown]
# ## Quiz (퀴즈)
#
# Seven questions on this lesson. Choose an answer and press **Check**, or call
# `answer("06", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("06")

# %% [markdown]
# ## Summary
#
# - A prefix moved p(next token | condition): the positive adjectives' probability more than
#   doubled after a positive prefix, the negative ones' after a negative prefix (numbers and
#   per-word bars in section 2; these come from single forward passes, the same on every run).
# - A system message is extra text in the chat template; it changed the sampled reply and the
#   first-token distribution. A 135M model follows a persona only loosely (broken French for the
#   "grumpy French chef").
# - Four examples made the label words the likely next token (from about 3 % of the mass to
#   over 90 %).
# - Steering plus a sentiment judge, over 32 candidates per condition: asking for "negative"
#   raised the share the judge labels negative by at least 0.2, and candidates asked to be
#   positive were judged positive far more often than those asked to be negative (the claims in
#   section 5). The beach topic leans positive already, so asking for "positive" adds less, and less steadily.
# - Stopping: max_new_tokens, stop strings and EOS each ended the text where expected.
# - Classifier-free guidance (exercise 3): uncond + γ·(cond − uncond) on next-token logits; γ = 1 is the
#   conditional model, larger γ exaggerates whatever the condition changed.
