# %% [markdown]
# # 02 · Inside the pipeline: tokens, logits, softmax, label
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week1/02_inside_the_pipeline.ipynb)
#
# **What you will learn**
# - the **Auto classes** (오토 클래스) `AutoTokenizer`, `AutoModelForSequenceClassification`, `AutoModelForCausalLM`;
# - the steps a pipeline hides: text → **tokens** (토큰) → **input ids** (입력 ID) → model → **logits** (로짓)
#   → **softmax** (소프트맥스) → **probabilities** (확률) → **label** (레이블);
# - **next-token prediction** (다음 토큰 예측): how a text-generation model picks a word;
# - **batching** (배치) and **padding** (패딩) with an **attention mask** (어텐션 마스크);
# - **truncation** (잘라내기) and the model's **maximum length** (최대 길이);
# - writing softmax yourself, **numerically stable** (수치적으로 안정된) for any logits (exercise 4).
#
# Time on a 2-core CPU: about 10 s. Nothing is downloaded offline. Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

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
device = cu.setup_lesson("02")   # mode (online/offline and why), device, seed, models used

# %% [markdown]
# ## 1. Loading with the Auto classes (오토 클래스)
#
# In lesson 01, `cu.load_pipeline("sentiment")` did two things for us. Here we do them by hand.
# `cu.resolve(role)` only tells us *where* the role's model is (the Hub id online, a local folder
# offline); then the **Auto classes** read that checkpoint's configuration and pick the right classes:
# a tokenizer, and the model with the head for our task (`...ForSequenceClassification`: one score
# per label).

# %%
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

_, mode, name, path = cu.resolve("sentiment")
print(f"sentiment model: {name} ({mode.name})")

# How close "the same" numbers can be: float32 keeps ~7 significant digits, 16-bit types (used on a
# GPU) only ~3, so comparisons of two paths allow for the number type the model runs in.
TOL = 1e-4 if device.dtype == torch.float32 else 2e-2

# How to read this checkpoint safely: safetensors here. (Online, the sentiment repo has only a
# PyTorch .bin file, read as tensors only, and no tokenizer settings, so the course states its
# 512-token limit; the catalog says why.)
load_weights, load_tokenizer = cu.weights_kwargs("sentiment"), cu.tokenizer_kwargs("sentiment")
print("weights read with:", load_weights, "| tokenizer options:", load_tokenizer)
tokenizer = AutoTokenizer.from_pretrained(path, **load_tokenizer)
model = AutoModelForSequenceClassification.from_pretrained(path, dtype=device.dtype, **load_weights)
model = model.to(device.device).eval()
print("tokenizer class:", type(tokenizer).__name__)
print("model class:    ", type(model).__name__)
print("labels:         ", model.config.id2label)

# %% [markdown]
# A pipeline built on the same tokenizer and model gives us the answer we want to reproduce by hand:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the course trained the offline sentiment model on this machine; its scores differ slightly across CPUs and torch versions
classifier = pipeline("text-classification", model=model, tokenizer=tokenizer)
text = "I absolutely love this new phone, it is amazing!"
expected = classifier(text)[0]
print(text, "->", expected["label"], round(expected["score"], 4))

# %% [markdown]
# ## 2. Tokenizer (토크나이저): text → tokens → input ids
#
# The tokenizer splits the text into **tokens** (words and word pieces; `##` marks a piece that
# continues a word), adds the special tokens the model was trained with (`[CLS]` at the start, `[SEP]`
# at the end), and replaces each token by its **id**, its row number in the vocabulary. The `text`
# column shows which characters of the sentence each token covers.

# %%
from course_utils.plots.tokens import token_table

token_table(tokenizer, text)

# %%
inputs = tokenizer(text, return_tensors="pt").to(device.device)
print({key: tuple(value.shape) for key, value in inputs.items()})
print("input_ids:", inputs["input_ids"][0].tolist())

# %% [markdown]
# ## 3. Model → logits (로짓) → softmax (소프트맥스) → label
#
# The model returns **logits**: one unbounded score per label. **Softmax** turns them into
# probabilities that are positive and sum to 1: $p_i = e^{z_i} / \sum_j e^{z_j}$. The label is the
# one with the largest probability, and its probability is the pipeline's `score`.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the course trained the offline sentiment model on this machine; its scores differ slightly across CPUs and torch versions
with torch.no_grad():
    logits = model(**inputs).logits
probs = torch.softmax(logits, dim=-1)[0]
best = int(probs.argmax())
print("logits:       ", [round(v, 3) for v in logits[0].tolist()])
print("probabilities:", [round(v, 3) for v in probs.tolist()])
print("label:        ", model.config.id2label[best], round(float(probs[best]), 4))

# %%
from course_utils.plots.tokens import plot_top_k, top_k_probs

plot_top_k(top_k_probs(logits, model.config.id2label, k=3), title=f"softmax of the logits: {text!r}")

# %% [markdown]
# Does the hand-made path agree with the pipeline on other sentences too?

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the course trained the offline sentiment model on this machine; its scores differ slightly across CPUs and torch versions (the self-check inside compares the two paths on every machine)
checks = ["This was the worst service I have ever had.", "The train leaves at 9 am from platform 2.",
          "Thanks so much for your help today!", text]
for sentence in checks:
    with torch.no_grad():
        p = torch.softmax(model(**tokenizer(sentence, return_tensors="pt").to(device.device)).logits, -1)[0]
    ours = (model.config.id2label[int(p.argmax())], float(p.max()))
    theirs = classifier(sentence)[0]
    print(f"{sentence:<46} by hand: {ours[0]:<8} {ours[1]:.4f}   pipeline: {theirs['label']:<8} {theirs['score']:.4f}")
    # Self-check: the hand-made path gives the pipeline's label and score.
    assert ours[0] == theirs["label"] and abs(ours[1] - theirs["score"]) < TOL

# %% [markdown]
# ## 4. Next-token prediction (다음 토큰 예측) with `AutoModelForCausalLM`
#
# A text-generation model has the same inside, with one difference: its head scores **every token in
# the vocabulary** as the possible next token. The logits at the last position, through softmax, are
# the model's probabilities for what comes next. (Online: GPT-2. Offline: SmolLM2-135M-Instruct, a
# model of the same kind, loaded by the same code.)

# %%
from transformers import AutoModelForCausalLM

_, _, lm_name, lm_path = cu.resolve("text-generation")
lm_tokenizer = AutoTokenizer.from_pretrained(lm_path, **cu.tokenizer_kwargs("text-generation"))
lm = AutoModelForCausalLM.from_pretrained(lm_path, dtype=device.dtype, **cu.weights_kwargs("text-generation"))
lm = lm.to(device.device).eval()
print(f"text-generation model: {lm_name} | {type(lm).__name__} | vocabulary: {lm.config.vocab_size} tokens")

prompt = "Once upon a time"
lm_inputs = lm_tokenizer(prompt, return_tensors="pt").to(device.device)
with torch.no_grad():
    lm_logits = lm(**lm_inputs).logits
print("prompt tokens:", lm_tokenizer.convert_ids_to_tokens(lm_inputs["input_ids"][0]))
print("logits shape: ", tuple(lm_logits.shape), "= (batch, positions, vocabulary)")

# %% [markdown]
# **Predict first (먼저 예측하기):** the model can choose among 49,152 tokens. After "Once upon a time",
# does the most likely next token get more than half of the probability, or is the probability spread
# thin (every token below 0.1)? Decide, then look at the ten most likely tokens below.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: probabilities computed in float arithmetic (the last digits depend on the CPU and torch version)
next_token = top_k_probs(lm_logits[0, -1], lm_tokenizer, k=10)
plot_top_k(next_token, title=f"{lm_name}: next token after {prompt!r}")

# %% [markdown]
# **Check your prediction.** One token takes most of the probability (the claim below checks at least
# 0.5), although 49,152 were possible: "Once upon a time" is a stock phrase, and what follows it is
# nearly fixed. After an open prompt the probability spreads over many tokens (lesson 05 shows it).
#
# Generating text is this step in a loop: take the most probable token (greedy decoding), append it,
# predict again. Five steps by hand against the pipeline's greedy output:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: greedy text can change with the CPU and torch version; that the two paths agree is checked below
ids = lm_inputs["input_ids"]
with torch.no_grad():
    for _ in range(5):
        step_logits = lm(input_ids=ids).logits[0, -1]
        ids = torch.cat([ids, step_logits.argmax().view(1, 1)], dim=1)
by_hand = lm_tokenizer.decode(ids[0], skip_special_tokens=True)
generator = pipeline("text-generation", model=lm, tokenizer=lm_tokenizer)
by_pipeline = generator(prompt, max_new_tokens=5, do_sample=False)[0]["generated_text"]
print("by hand: ", repr(by_hand))
print("pipeline:", repr(by_pipeline))

# %%
# Self-check: the top token's probability equals the softmax of the last logits, and the greedy loop matches the pipeline.
p_last = torch.softmax(lm_logits[0, -1], dim=-1)
assert abs(next_token[0][1] - float(p_last.max())) < TOL and abs(float(p_last.sum()) - 1) < TOL
assert by_hand == by_pipeline
print("the greedy loop by hand gives the pipeline's text")
_ = cu.claim("probability of the most likely token after 'Once upon a time'", next_token[0][1], at_least=0.5)

# %% [markdown]
# ## 5. Batching (배치) and padding (패딩) with the attention mask (어텐션 마스크)
#
# Models run fastest on many sentences at once, but a batch must be a rectangle: shorter sentences are
# filled with `[PAD]` tokens. The **attention mask** (1 = real token, 0 = padding) tells the model to
# ignore the padding, so a sentence gets the same logits alone or in a batch.

# %%
import pandas as pd

batch_texts = ["Great phone!", "The train leaves at 9 am from platform 2.", "Worst service ever."]
batch = tokenizer(batch_texts, padding=True, return_tensors="pt").to(device.device)
print("batch shape:", tuple(batch["input_ids"].shape))
pd.DataFrame({
    "tokens": [" ".join(tokenizer.convert_ids_to_tokens(row)) for row in batch["input_ids"]],
    "attention_mask": [" ".join(map(str, row.tolist())) for row in batch["attention_mask"]],
})

# %% [markdown]
# **Predict first (먼저 예측하기):** we run the padded batch, and each sentence alone. With the attention
# mask, will a padded sentence get exactly the same logits as alone, slightly different ones, or very
# different ones? And if we leave the mask out?

# %%
with torch.no_grad():
    batch_logits = model(**batch).logits
    single_logits = torch.cat([model(**tokenizer(t, return_tensors="pt").to(device.device)).logits for t in batch_texts])
    no_mask_logits = model(input_ids=batch["input_ids"]).logits          # padding NOT hidden
diff_with_mask = (batch_logits - single_logits).abs().max().item()
diff_without = (no_mask_logits - single_logits).abs().max().item()
print(f"largest logit difference, batch vs one by one, with the mask:    {diff_with_mask:.4f}")

# %% [markdown]
# **Check your prediction.** With the mask, the same logits (to the 4 decimals printed): the `[PAD]`
# tokens are invisible to the real ones. Without the mask, the real tokens of the two shorter sentences
# also attend to their `[PAD]` tokens, and their logits move (the self-check below checks by at least
# 0.05). The longest sentence has no padding, so it cannot change.

# %%
# Self-check: with the attention mask, padding changes nothing; without it, the padded sentences change.
assert diff_with_mask < TOL
print("padding + attention mask = the same logits as one sentence at a time")
_ = cu.claim("largest logit change of the padded sentences without the attention mask", diff_without, at_least=0.05)

# %% [markdown]
# ## 6. Truncation (잘라내기) and the maximum length (최대 길이)
#
# A BERT-style encoder such as this one learns one **position embedding** per position, and has
# 512 of them (GPT-2 has 1,024): it cannot read more tokens than that. (Models with rotary position
# encoding, like SmolLM2, have no such table, but they too were trained up to a maximum length and
# read longer texts badly.) A longer text must be cut (**truncated**). What happens if we forget?
#
# **Predict first (먼저 예측하기):** we give this 512-position encoder a text of several hundred words,
# without truncation. Does the model read the first 512 tokens, read all of them anyway, or stop with
# an error?

# %%
print("tokenizer.model_max_length:        ", tokenizer.model_max_length)
print("model.config.max_position_embeddings:", model.config.max_position_embeddings)

long_text = "I really enjoyed this. " * 150
too_long = tokenizer(long_text, return_tensors="pt").to(device.device)
print("tokens without truncation:", too_long["input_ids"].shape[1])
try:
    # On a GPU this mistake is a "device-side assert" that breaks every later GPU cell of the
    # session, so the deliberate error runs on the CPU (model and inputs), then the model goes back.
    with torch.no_grad():
        model.cpu()(**too_long.to("cpu"))
except (RuntimeError, IndexError) as err:
    print(f"{type(err).__name__}: {err}")
finally:
    model.to(device.device)

# %% [markdown]
# **Check your prediction.** It stops with an error: the model neither cuts nor reads past its last
# position. The tokenizer happily makes 752 ids, and the model fails deep inside with a message about
# tensor sizes (the 512 position embeddings cannot be added to 752 tokens). The fix: `truncation=True`,
# which keeps the first `max_length` tokens and still ends with the end marker (`[SEP]` here). Pipelines
# accept it too.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the course trained the offline sentiment model on this machine; its scores differ slightly across CPUs and torch versions (the self-check below compares the two paths)
cut = tokenizer(long_text, truncation=True, max_length=tokenizer.model_max_length, return_tensors="pt").to(device.device)
with torch.no_grad():
    p_cut = torch.softmax(model(**cut).logits, -1)[0]
print("tokens with truncation:", cut["input_ids"].shape[1], "| last token:", tokenizer.convert_ids_to_tokens(cut["input_ids"][0, -1:])[0])
piped = classifier(long_text, truncation=True)[0]
print("by hand: ", model.config.id2label[int(p_cut.argmax())], round(float(p_cut.max()), 4))
print("pipeline:", piped["label"], round(piped["score"], 4))

# %%
# Self-check: truncation gives exactly the maximum length, ends with the end marker, and matches the truncating pipeline.
assert cut["input_ids"].shape[1] == tokenizer.model_max_length == 512
assert cut["input_ids"][0, -1].item() == tokenizer.sep_token_id
assert model.config.id2label[int(p_cut.argmax())] == piped["label"] and abs(float(p_cut.max()) - piped["score"]) < TOL
print("truncated input works and agrees with the pipeline")

# %% [markdown]
# ## Exercises
#
# **1.** After `"Once upon a time"`, what probability does the model give to the token `" in"`?
# Find its id with the tokenizer and read it from the softmax of the last logits.

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: a probability computed in float arithmetic
in_ids = lm_tokenizer(" in", add_special_tokens=False)["input_ids"]
assert len(in_ids) == 1, in_ids            # " in" is one token (with its leading space)
print(f"P(' in' | {prompt!r}) = {float(p_last[in_ids[0]]):.4f}")

# %% [markdown]
# **2.** Which word of `"I absolutely love this new phone, it is amazing!"` matters most for the
# `positive` score? Remove one word at a time and measure how much the probability of `positive` drops.

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: scores of the sentiment model trained on this machine
positive = model.config.label2id["positive"]

def p_positive(sentence):
    with torch.no_grad():
        return float(torch.softmax(model(**tokenizer(sentence, return_tensors="pt").to(device.device)).logits, -1)[0, positive])

words = text.split()
base = p_positive(text)
drops = {w: base - p_positive(" ".join(words[:i] + words[i + 1:])) for i, w in enumerate(words)}
for w, d in sorted(drops.items(), key=lambda kv: -kv[1])[:3]:
    print(f"without {w!r:<12} P(positive) drops by {d:.3f}")
# The word whose removal costs the most is the one the model leans on. The drops are small: with many
# other positive words left ("love", "absolutely", ...), the sentence stays positive without any one of them.

# %% [markdown]
# **3.** Pad the batch of section 5 to a fixed `max_length=32` (`padding="max_length"`) instead of the
# longest sentence. Are the logits still the same as one sentence at a time?

# %%
# Solution
batch32 = tokenizer(batch_texts, padding="max_length", max_length=32, return_tensors="pt").to(device.device)
with torch.no_grad():
    logits32 = model(**batch32).logits
print("shape:", tuple(batch32["input_ids"].shape), "| largest difference:", f"{(logits32 - single_logits).abs().max().item():.4f}")

# %% [markdown]
# **4. Checked exercise.** Write softmax yourself. `softmax(logits)` turns the **last dimension** of a
# tensor of logits into probabilities, $p_i = e^{z_i} / \sum_j e^{z_j}$: for one row of logits, for a
# batch of rows, or for `lm_logits` of shape (batch, positions, vocabulary). Make it **numerically
# stable** (수치적으로 안정된): $e^{1000}$ is too large for a float (it becomes `inf`, and `inf / inf` is
# `nan`), but softmax does not change when the same number is subtracted from every logit of a row.
# Run the cell: the checker compares your function with `torch.softmax(..., dim=-1)` on small cases
# and tells you what went wrong.

# %%
# Exercise 4: write softmax, then run this cell; the checker answers ✓ or says what to fix.
from course_utils.learn.exercise import check_exercise


def softmax(logits):
    """logits: a tensor of any shape. Returns a tensor of the same shape: along the last dimension each
    row of probabilities is positive and sums to 1. Must work for logits as large as 1000."""
    raise NotImplementedError   # your code here


check_exercise("02.softmax", softmax)

# %%
# Solution 4
def softmax(logits):
    z = logits - logits.max(dim=-1, keepdim=True).values   # the largest logit of each row becomes 0: e^z <= 1
    e = torch.exp(z)
    return e / e.sum(dim=-1, keepdim=True)                 # keepdim: each row divided by its own sum


check_exercise("02.softmax", softmax)

# %%
# Solution 4, on the language model's logits: every position of the prompt at once
print("shape:", tuple(softmax(lm_logits).shape), "| same as torch.softmax:",
      torch.allclose(softmax(lm_logits), torch.softmax(lm_logits, dim=-1), atol=TOL))

# %% [markdown]
# ## Quiz (퀴즈)
#
# Seven questions on this lesson. Choose an answer and press **Check**, or call
# `answer("02", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("02")

# %% [markdown]
# ## Summary
#
# - The Auto classes loaded the tokenizer and the model from the role's checkpoint; offline that was
#   the course's MiniLM sentiment model (`BertForSequenceClassification`) and SmolLM2-135M-Instruct
#   (`LlamaForCausalLM`, 49,152-token vocabulary).
# - By hand: 13 tokens → ids → 3 logits → softmax → `positive`, the pipeline's label and score
#   (to 1e-4); the same held on four sentences.
# - Next-token prediction: after "Once upon a time" the model puts most of its probability on one
#   token (at least 0.5, checked); five greedy steps by hand reproduced the pipeline's greedy text exactly.
# - Padding with the attention mask left the logits unchanged (difference below 1e-4); without the
#   mask, the padded sentences' logits moved (by at least 0.05, checked).
# - A 752-token text crashed the 512-position encoder; `truncation=True` cut it to 512 tokens and the
#   hand-made path again matched the pipeline.
