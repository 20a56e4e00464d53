# %% [markdown]
# # 06 · Conditioning: same model, different conditions, different text
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/genai-course/transformers-genai-workbook/blob/main/notebooks/week3/06_conditioning.ipynb)
#
# A generative model samples from p(next token | everything before). "Everything before" is
# the **condition**. Change it — a prefix, a system message, a few examples — and the
# distribution changes, without touching a single weight.
#
# **What you will learn**
# - conditioning (조건성): p(next token | condition) and how to measure its shift
# - prompt prefixes (프롬프트 접두사), system messages (시스템 메시지) through the chat template
#   (채팅 템플릿), few-shot examples (퓨샷 예시)
# - sentiment-conditioned generation (감정 조건 생성): generate candidates, keep those a classifier
#   (분류기) labels as asked, and measure the acceptance rate (수락률)
# - stopping and length (정지 조건과 길이): max new tokens, stop strings, end-of-sequence (EOS)
#
# Runs in about 1–2 minutes on a laptop CPU.

# %%
# Setup: on Colab this fetches the workbook's helpers; on your machine it does nothing extra.
import sys
if "google.colab" in sys.modules:
    import subprocess
    subprocess.run("test -d /content/workbook || git clone -q --depth 1 "   # re-running the cell reuses the clone
                   "https://github.com/genai-course/transformers-genai-workbook "
                   "/content/workbook && bash /content/workbook/scripts/colab_setup.sh", shell=True, check=True)
    sys.path.insert(0, "/content/workbook")

import course_utils as cu
device = cu.setup_lesson("06")   # mode (online/offline and why), device, seed, models used

# %% [markdown]
# ## 1. Two models: a chat model that writes, a classifier that judges
#
# The writer is the chat model (SmolLM2-135M-Instruct, offline and online). The judge is the
# Week 1 sentiment classifier (offline: MiniLM fine-tuned on tweets by the course).

# %%
import matplotlib.pyplot as plt
import torch

from course_utils import generation as cu_gen
from course_utils import plots as cu_plots
from course_utils import sampling as S

model, tok = cu.load_model("chat")
judge = cu.load_pipeline("sentiment")

# %% [markdown]
# ## 2. A prompt prefix (프롬프트 접두사) shifts p(next token | condition)
#
# The same half-sentence, after three different prefixes. We add up the probability of a few
# positive and a few negative adjectives as the next token.

# %%
BASE = "My review in one word: the film was"
PREFIXES = {"no prefix": "", "positive prefix": "I loved every minute of it. ",
            "negative prefix": "It was a total waste of money. "}
POSITIVE = [" great", " amazing", " good", " fun", " wonderful", " fantastic", " brilliant"]
NEGATIVE = [" terrible", " boring", " bad", " awful", " disappointing", " horrible", " dull"]
pos_ids = [tok(w, add_special_tokens=False)["input_ids"][0] for w in POSITIVE]
neg_ids = [tok(w, add_special_tokens=False)["input_ids"][0] for w in NEGATIVE]

dists = {name: S.to_probs(cu_gen.next_token_distribution(model, tok, pre + BASE)) for name, pre in PREFIXES.items()}
mass = {name: (float(p[pos_ids].sum()), float(p[neg_ids].sum())) for name, p in dists.items()}
for name, (pp, pn) in mass.items():
    print(f"{name:16} p(positive word) = {pp:.3f}   p(negative word) = {pn:.3f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 3.6), layout="constrained")
x = torch.arange(len(PREFIXES)).float()
axes[0].bar((x - 0.2).tolist(), [m[0] for m in mass.values()], width=0.4, label="positive words", color="C2")
axes[0].bar((x + 0.2).tolist(), [m[1] for m in mass.values()], width=0.4, label="negative words", color="C3")
axes[0].set_xticks(x.tolist(), list(PREFIXES))
axes[0].set_ylabel("p(next token in the word list)")
axes[0].legend()
axes[0].set_title("p(next token | condition)")
for ax, name in zip(axes[1:], ["positive prefix", "negative prefix"]):
    cu_plots.plot_before_after(tok, dists["no prefix"], dists[name], labels=("no prefix", name),
                               title=f"no prefix → {name}", top=8, ax=ax)
plt.show()

# %%
# Self-check: each prefix moves probability towards its own kind of word.
assert mass["positive prefix"][0] > 2 * mass["no prefix"][0]
assert mass["negative prefix"][1] > 2 * mass["no prefix"][1]
print("the prefix shifted p(next token) the way it says")

# %% [markdown]
# ## 3. A system message (시스템 메시지) through the chat template (채팅 템플릿)
#
# Chat models are trained on conversations written in a fixed format: the **chat template**.
# A system message is just more text at the start of that format:

# %%
print(cu_gen.chat_prompt(tok, "What should I cook tonight?", system="You are a pirate."))

# %% [markdown]
# Same question, same seed, with and without a system message (this is the function behind
# the conditioning playground in section 7):

# %%
from course_utils.widgets.text import conditioned_outputs

res = conditioned_outputs(model, tok, "What should I cook tonight?", "system message", "grumpy chef",
                          seed=0, max_new_tokens=30)
for label, text in res.items():
    print(f"── {label}\n{text}\n")

# %%
no_sys = S.to_probs(cu_gen.next_token_distribution(model, tok, cu_gen.chat_messages("What should I cook tonight?")))
with_sys = S.to_probs(cu_gen.next_token_distribution(
    model, tok, cu_gen.chat_messages("What should I cook tonight?", system="You answer with exactly one word.")))
fig, ax = plt.subplots(figsize=(7, 3.4))
cu_plots.plot_before_after(tok, no_sys, with_sys, labels=("no system message", "'answer with one word'"),
                           title="first token of the reply", top=8, ax=ax)
plt.show()

# %% [markdown]
# ## 4. Few-shot examples (퓨샷 예시)
#
# Examples in the prompt tell the model the *format* of the answer. We ask for the sentiment of
# six reviews, as the next word after "Sentiment:", with no examples and with four.

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
        p = S.to_probs(cu_gen.next_token_distribution(model, tok, f"{shots}Review: {review}\nSentiment:"))
        guess = max(label_ids, key=lambda lab: float(p[label_ids[lab]]))
        correct += guess == label
        label_mass += float(p[label_ids["positive"]] + p[label_ids["negative"]])
    few_shot[name] = (correct / len(REVIEWS), label_mass / len(REVIEWS))
    print(f"{name:9}: accuracy {few_shot[name][0]:.2f}, "
          f"p(next word is ' positive' or ' negative') = {few_shot[name][1]:.3f}")

# %%
# Self-check: with examples, the model answers in the asked format far more often.
assert few_shot["4-shot"][1] > 0.5 > few_shot["zero-shot"][1]
print("few-shot examples made the label words the likely next token")

# %% [markdown]
# ## 5. Sentiment-conditioned generation (감정 조건 생성) with a judge
#
# We want sentences of a given sentiment. Two tools: **steer** (ask for it in the prompt) and
# **filter** (generate several candidates, keep those the classifier labels as asked). The
# **acceptance rate** (수락률) is the share of candidates kept. 8 candidates per condition, one
# batched call each, the same seed.

# %%
TOPIC = "Write one sentence about your day at the beach."
ASKS = {"no instruction": TOPIC,
        "asked: positive": TOPIC + " Make it very happy and positive.",
        "asked: negative": TOPIC + " Make it very sad, angry and negative."}
judged = {}
for name, user in ASKS.items():
    cands = cu_gen.sample_candidates(model, tok, cu_gen.chat_messages(user), 8, 24, temperature=0.8, seed=0)
    texts = [tok.decode(c, skip_special_tokens=True).strip() for c in cands]
    judged[name] = list(zip(texts, [o["label"] for o in judge(texts)]))
    counts = {lab: sum(l == lab for _, l in judged[name]) for lab in ("positive", "neutral", "negative")}
    print(f"{name:15} labels by the judge: {counts}")

# %%
def acceptance(name, wanted):
    return sum(label == wanted for _, label in judged[name]) / len(judged[name])

rates = {(name, wanted): acceptance(name, wanted) for name in ASKS for wanted in ("positive", "negative")}
print(f"{'condition':15} accept 'positive'   accept 'negative'")
for name in ASKS:
    print(f"{name:15} {rates[name, 'positive']:>17.2f}   {rates[name, 'negative']:>17.2f}")
print("\nkept for 'negative' (asked: negative):")
for text, label in judged["asked: negative"]:
    if label == "negative":
        print("  -", text[:100])

# %%
fig, ax = plt.subplots(figsize=(7, 3.4))
labels = ("positive", "neutral", "negative")
for i, lab in enumerate(labels):
    shares = [sum(l == lab for _, l in judged[n]) / len(judged[n]) for n in ASKS]
    ax.bar([j + (i - 1) * 0.27 for j in range(len(ASKS))], shares, width=0.27, label=lab,
           color={"positive": "C2", "neutral": "C7", "negative": "C3"}[lab])
ax.set_xticks(range(len(ASKS)), list(ASKS))
ax.set_ylabel("share of 8 candidates")
ax.set_title("what the sentiment judge says about the candidates")
ax.legend()
plt.show()

# %%
# Self-check: asking for a sentiment raises the share of candidates the judge accepts for it.
assert rates["asked: negative", "negative"] > rates["no instruction", "negative"]
print("steering raised the acceptance rate for the asked sentiment")

# %% [markdown]
# ## 6. Stopping and length (정지 조건과 길이)
#
# Generation stops at the first of: **max_new_tokens** reached, a **stop string** appears, or the
# model emits the **end-of-sequence** token (EOS; for this chat model `<|im_end|>`, the end of a turn).

# %%
question = cu_gen.chat_messages("What is the capital of France?")
runs = {"short": dict(max_new_tokens=4), "full": dict(max_new_tokens=40),
        "cut": dict(max_new_tokens=40, stop_strings=[" is"])}
results = {}
for name, kwargs in runs.items():
    r = results[name] = cu_gen.generate_by_hand(model, tok, question, **kwargs)
    print(f"{str(kwargs):45} stopped by {r.stopped_by:15} {len(r.token_ids):>2} tokens: {r.text!r}")
print(f"EOS token: {tok.eos_token!r}")

# %%
# Self-check: each stopping rule ends the text where it should.
short, full, cut = results["short"], results["full"], results["cut"]
assert short.stopped_by == "max_new_tokens" and len(short.token_ids) == 4
assert full.stopped_by == "eos" and len(full.token_ids) < 40
assert cut.stopped_by == "stop string" and " is" not in cut.text and full.text.startswith(cut.text)
print("max_new_tokens, EOS and stop strings all stop where expected")

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

# %%
# Solution 1
p = S.to_probs(cu_gen.next_token_distribution(model, tok, "I fell asleep halfway through. " + BASE))
boring, great = tok(" boring", add_special_tokens=False)["input_ids"][0], tok(" great", add_special_tokens=False)["input_ids"][0]
print(f"p(' boring') = {float(p[boring]):.3f}, p(' great') = {float(p[great]):.3f}")

# %%
# Solution 2
kept = [text for text, label in judged["no instruction"] if label == "neutral"]
print(f"acceptance rate for 'neutral': {len(kept) / len(judged['no instruction']):.2f}")
for text in kept:
    print("  -", text[:100])

# %% [markdown]
# ## Summary
#
# - A prefix moved p(next token | condition): positive adjectives after a positive prefix,
#   negative ones after a negative prefix (more than doubled; numbers in section 2).
# - A system message is extra text in the chat template; it changed the reply and the
#   first-token distribution.
# - Four examples made the label words the likely next token (from a few % to most of the mass).
# - Steering plus a sentiment judge: acceptance rates per condition are in section 5; asking for
#   "negative" raised the share of candidates the judge labelled negative.
# - Stopping: max_new_tokens, stop strings and EOS each ended the text where expected.
