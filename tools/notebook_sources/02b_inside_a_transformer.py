# %% [markdown]
# # 02b · Inside a Transformer: attention by hand, encoder vs decoder, design choices
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/{{REPO}}/blob/main/notebooks/week1/02b_inside_a_transformer.ipynb)
#
# **What you will learn**
# - what **generative AI** (생성형 AI) is, its kinds, and which notebook of this course runs a small
#   real model of each; **machine translation** (기계 번역) with a real encoder–decoder online;
# - the **Transformer block** (트랜스포머 블록): embeddings, **positional information** (위치 정보),
#   **self-attention** (셀프 어텐션), MLP, **residual connections** (잔차 연결), **layer norm** (레이어 정규화), head —
#   read off two real models;
# - **self-attention by hand**: **queries, keys, values** (쿼리·키·값), scaled dot products, softmax,
#   **multi-head attention** (멀티 헤드 어텐션), checked against the models' own attention;
# - **encoder vs decoder** (인코더 vs 디코더): the **causal mask** (인과 마스크) against **bidirectional** (양방향) attention;
# - where word order comes from: **learned position embeddings** vs **rotary** (RoPE);
# - **subword** (서브워드) tokenizers, and why Korean text costs more tokens than English;
# - **architecture design** (올바른 설계): which choices matter, measured on a tiny GPT;
# - **start small, then scale** (작게 시작해서 키우기): predict a bigger model's loss from three small ones;
# - write **causal attention** yourself, checked against PyTorch's own.
#
# Time on a 2-core CPU: about 1 min (nine tiny GPTs are trained). Nothing is downloaded offline.
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
device = cu.setup_lesson("02b")   # mode (online/offline and why), device, seed, models used
SEED = cu.lesson_seed()

# %% [markdown]
# ## 1. Generative AI (생성형 AI), one map
#
# A **generative** model (the heart of **generative AI**, 생성형 AI) produces new data (text, images,
# sound) that looks like the data it learned from, instead of only a label or a number. All of the
# kinds below are trained the same way at heart: predict (or denoise) the next piece of the data, over and over, on a very large collection.
#
# | kind | famous systems | what goes in → what comes out | runs here, small and real |
# |---|---|---|---|
# | text | GPT-3, ChatGPT, Llama | a prompt → the next token, again and again | 03 trains a tiny GPT; 05–06 generate with SmolLM2-135M-Instruct |
# | image | DALL·E, Stable Diffusion | a description → an image, denoised from noise | 07 trains a text-to-digit diffusion model |
# | music / audio | MusicGen | a description or a melody → a waveform | 08 trains a melody transformer (MusicGen online) |
# | speech | text-to-speech (TTS) models | text → a voice | not part of the offline course |
# | translation | Google Translate, Papago | a sentence → the same sentence in another language | online only (below) |
#
# The Transformers library names its tasks too; the learner's notes this course was built from list
# **translation** (번역) among them. Transformers 5 no longer has a `"translation"` pipeline, so this is what a pipeline does
# inside: tokenize, `generate`, decode. Online it runs `Helsinki-NLP/opus-mt-ko-en`, a Marian
# **encoder–decoder** (section 4 says what that means). Offline there is none to run: no translation
# model installs from the package registry, and the cell says so instead of pretending.

# %%
korean = "생성형 AI는 새로운 텍스트, 이미지, 음악을 만든다."
try:
    translator = cu.load_model("translation")
    enc = translator.tokenizer(korean, return_tensors="pt").to(translator.model.device)
    out = translator.model.generate(**enc, max_new_tokens=40)
    print(korean, "→", translator.tokenizer.decode(out[0], skip_special_tokens=True))
except cu.CourseError as err:      # offline, or the model is not on this machine: say why, keep going
    print(f"{type(err).__name__}: {err}")

# %% [markdown]
# ## 2. The block diagram, then the code
#
# Every model in this course, from the 135-million-parameter SmolLM2 to the tiny GPT we train in
# Week 2, has the same shape:
#
# ```
# text ─► tokens ─► token embeddings (+ positional information)
#                      │
#          ┌───────────▼────────────────────────────┐
#          │ self-attention   (tokens look at tokens) │  + residual connection, layer norm
#          │ MLP              (each token on its own) │  + residual connection, layer norm
#          └───────────┬────────────────────────────┘  × N blocks
#                      ▼
#                    head ─► next-token logits (a decoder) or one vector / a label (an encoder)
# ```
#
# **Predict first (먼저 예측하기):** SmolLM2 has 135 M parameters. Where do you think most of them sit:
# in the embeddings, in attention or in the MLPs? Write your guess down, then run the next two cells.

# %%
import pandas as pd
import torch

from course_utils.models import anatomy

smol = cu.load_model("chat", attn_implementation="eager")             # a decoder (Llama family)
mini = cu.load_model("sentence-encoder", attn_implementation="eager")  # an encoder (BERT family)
pd.DataFrame({"SmolLM2 (decoder)": anatomy.config_summary(smol.model),
              "MiniLM (encoder)": anatomy.config_summary(mini.model)})

# %% [markdown]
# `eager` attention computes attention as plain matrix products; it is the only kind that can hand us
# its probabilities (`output_attentions=True`), which we need to check our own code below. The
# `positions` and `attention` rows were *measured* from the models, not looked up: a model has rotary
# positions if it has a rotary module, and it is causal if changing the last token leaves the first
# token's output unchanged.

# %%
for loaded in (smol, mini):
    print(loaded.name)
    display(anatomy.anatomy_table(loaded.model))

# %%
# NBVAL_IGNORE_OUTPUT
# (the module tree's wording changes between transformers versions, and online the model is the Hub's)
print("one SmolLM2 block:", smol.model.model.layers[0], sep="\n")

# %%
# Self-check: the parts add up to the models' own parameter counts; the settings read off each model are what its family has.
for loaded in (smol, mini):
    table = anatomy.anatomy_table(loaded.model)
    assert table["parameters"].sum() == loaded.model.num_parameters()
s, m = anatomy.config_summary(smol.model), anatomy.config_summary(mini.model)
assert (s["positions"], s["attention"]) == ("rotary", "causal") and s["kv heads"] < s["heads"]
assert (m["positions"], m["attention"]) == ("learned", "bidirectional")
print("parts add up to num_parameters(); SmolLM2: rotary + causal + grouped-query; MiniLM: learned + bidirectional")

# %% [markdown]
# **Check your prediction.** Read the SmolLM2 table: the MLPs hold the most parameters, then the
# token embeddings (49,152 tokens × 576 numbers), then attention; norms are a rounding error. The head costs nothing: it *is*
# the token-embedding matrix used a second time (**tied** weights). In MiniLM the token embeddings are
# more than half of all parameters: a small model with a 30,522-token vocabulary spends most of its
# budget on the vocabulary, not on the blocks.

# %% [markdown]
# ## 3. Self-attention (셀프 어텐션) by hand
#
# Each token makes three vectors from its hidden state: a **query** (what am I looking for?), a **key**
# (what do I offer?) and a **value** (what do I pass on?). A token's attention to every token is the
# softmax of its query's dot products with all keys, divided by √(head size) so the softmax does not
# saturate; its output is the attention-weighted sum of the values. **Multi-head** attention does this
# several times in parallel on slices of the width, each head free to look for something else. This
# is the whole mechanism, in about twenty lines (`course_utils/models/anatomy.py`):

# %%
import inspect

print(inspect.getsource(anatomy.self_attention))

# %% [markdown]
# Now run it on the **real weights** of one layer of each model, on the hidden states the models
# themselves feed that layer, and compare with the attention probabilities the models return.
# SmolLM2 needs two extras: its **rotary** positions (queries and keys are turned by angles that
# grow with the position) and **grouped-query attention** (9 query heads share 3 key/value heads).

# %%
SENTENCE = "The cat sat on the mat because it was tired."
TOL = 1e-4 if device.dtype == torch.float32 else 3e-2   # 16-bit number types (a GPU) keep ~3 digits
checks = [(loaded, layer) for loaded in (mini, smol)                    # the first and the last layer
          for layer in (0, anatomy.layers_and_heads(loaded.model)[0] - 1)]
for loaded, layer in checks:
    hand, own, tokens = anatomy.compare_attention(loaded.model, loaded.tokenizer, SENTENCE, layer)
    ok = (hand - own).abs().max().item() < TOL
    print(f"{loaded.name:<24} layer {layer:>2}: {hand.shape[0]} heads × {len(tokens)} × {len(tokens)} "
          f"probabilities, hand == model's own (to {TOL:g}): {ok}")

# %%
# Self-check: our twenty lines give the models' own attention probabilities, for an encoder and a decoder.
for loaded, layer in checks:
    hand, own, _ = anatomy.compare_attention(loaded.model, loaded.tokenizer, SENTENCE, layer)
    assert torch.allclose(hand, own, atol=TOL), (loaded.name, layer)
print("self-attention by hand == the model's attention, both models")

# %% [markdown]
# ## 4. Encoder vs decoder (인코더 vs 디코더): who may look where
#
# **Predict first (먼저 예측하기):** in a model that writes text one token at a time, may the word "cat"
# look at "tired", which comes later? And in a model that reads a whole sentence to classify it?
#
# Two heat maps of the same sentence: a row is the token that looks, a column the token looked at.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: attention probabilities in float arithmetic, drawn as colours
import matplotlib.pyplot as plt

from course_utils.plots.attention import attention_heatmap

fig, axes = plt.subplots(1, 2, figsize=(12, 5))
LAYER, HEAD = 1, 1
for ax, loaded in zip(axes, (mini, smol)):
    tokens, probs = anatomy.attention_map(loaded.model, loaded.tokenizer, SENTENCE, LAYER, HEAD)
    attention_heatmap(tokens, probs, ax=ax, title=f"{loaded.name}: layer {LAYER}, head {HEAD}")
plt.show()

# %%
# Self-check: the decoder never looks ahead (exact zeros above the diagonal); the encoder does.
_, dec = anatomy.attention_map(smol.model, smol.tokenizer, SENTENCE, LAYER, HEAD)
_, enc_map = anatomy.attention_map(mini.model, mini.tokenizer, SENTENCE, LAYER, HEAD)
upper = ~anatomy.causal_mask(dec.shape[0]).numpy()
assert (dec[upper] == 0).all() and anatomy.causal_mask(4).tolist() == [[j <= i for j in range(4)] for i in range(4)]
assert enc_map[~anatomy.causal_mask(enc_map.shape[0]).numpy()].sum() > 0
print("decoder: lower-triangular (each token sees itself and the past); encoder: both sides")

# %% [markdown]
# **Check your prediction.** The **decoder** (GPT-2, SmolLM2, Llama) uses a **causal mask**: scores
# above the diagonal are set to −∞ before the softmax, so each token sees only itself and the tokens to its left. That is what
# lets it be trained on "predict the next token" at every position at once, and then **generate**:
# the future it may not see is exactly what it has to write. The **encoder** (BERT, RoBERTa, MiniLM)
# attends in both directions, so every token's vector knows the whole sentence: the best reading for
# **classifying** or comparing sentences (lesson 01's sentiment model, lesson 07's sentence vectors),
# but it cannot write left to right. An **encoder–decoder** (T5, BART, and the Marian translation model
# of section 1) has both: the encoder reads the Korean sentence in both directions, the decoder writes
# the English one token at a time, looking at its own left context and at everything the encoder read.

# %% [markdown]
# ## 5. Where word order comes from: learned positions vs rotary
#
# Attention compares every token with every token; nothing in the twenty lines above knows where a
# token stands. Without positional information, "dog bites man" and "man bites dog" are the same bag
# of tokens. Let us check that claim exactly, on MiniLM's real layer-0 weights: feed the tokens'
# embeddings without positions, then the same tokens shuffled.

# %%
emb = mini.model.embeddings
ids = mini.tokenizer(SENTENCE, return_tensors="pt")["input_ids"][0].to(mini.model.device)
att0 = mini.model.encoder.layer[0].attention.self
weights = {k: v.float() for k, v in dict(w_q=att0.query.weight, w_k=att0.key.weight, w_v=att0.value.weight,
                                          bias_q=att0.query.bias, bias_k=att0.key.bias, bias_v=att0.value.bias).items()}
heads = mini.model.config.num_attention_heads
perm = torch.randperm(len(ids), generator=torch.Generator().manual_seed(SEED)).to(ids.device)
with torch.no_grad():
    words = emb.word_embeddings(ids).float()                       # no positions
    placed = words + emb.position_embeddings.weight[: len(ids)].float()   # what BERT really adds
    out_words, _ = anatomy.self_attention(words, **weights, n_heads=heads)
    out_shuffled, _ = anatomy.self_attention(words[perm], **weights, n_heads=heads)
    out_placed, _ = anatomy.self_attention(placed, **weights, n_heads=heads)
    out_placed_shuffled, _ = anatomy.self_attention(words[perm] + emb.position_embeddings.weight[: len(ids)].float(),
                                                    **weights, n_heads=heads)
print("shuffled order:", mini.tokenizer.convert_ids_to_tokens(ids[perm].tolist()))
def same(a, b):              # equal up to float rounding, relative to the outputs' size
    return bool((a - b).abs().max() <= 1e-4 * b.abs().max())

same_without = same(out_shuffled, out_words[perm])
same_with = same(out_placed_shuffled, out_placed[perm])
print(f"without positions, shuffling the tokens only shuffles the outputs: {same_without}")
print(f"with BERT's position embeddings added, it does not:                  {not same_with}")

# %%
# Self-check: attention alone cannot tell order (true for any weights); position embeddings make it (true for trained ones).
assert same_without
print("permutation in, the same permutation out: attention alone is blind to word order")
cu.expect("with MiniLM's position embeddings, shuffling the tokens changes more than the order of the outputs",
          not same_with)

# %% [markdown]
# So models add positional information, in one of two ways:
#
# - **learned position embeddings** (GPT-2, BERT, MiniLM): a table with one learned vector per
#   position, added to the token embedding. MiniLM's table has 512 rows, so it cannot read a 513th
#   token (lesson 02, section 6);
# - **rotary position embeddings, RoPE** (SmolLM2, Llama): no table at all; the queries and keys are
#   turned by angles that grow with the position (the `rotary` lines of `self_attention`), so a query–key
#   score depends on how far apart two tokens are. The model still has a trained maximum length
#   (`context` above), and reads longer texts badly.

# %%
print("MiniLM position table:", tuple(emb.position_embeddings.weight.shape), "(positions × width)")
print("SmolLM2 position table:", [n for n, _ in smol.model.named_parameters() if "position" in n] or "none: rotary")

# %% [markdown]
# ## 6. The attention explorer
#
# Change the sentence, the model, the layer, the head and the token, and see where that token looks.
# Changing layer, head or token reuses one cached forward pass, so the map redraws at once.
# First the plain function the widget calls (what a static viewer of this page shows):

# %%
# NBVAL_IGNORE_OUTPUT
# measured: attention probabilities in float arithmetic (the last digits depend on the CPU and torch version)
tokens = anatomy.attention_tokens(smol.tokenizer, SENTENCE)
it = tokens.index("␣it")
fig, summary = anatomy.attention_view(smol.model, smol.tokenizer, SENTENCE, LAYER, HEAD, it)
print(summary)
fig

# %%
# NBVAL_IGNORE_OUTPUT
# (a widget: its view is not stable text)
from course_utils.widgets.attention import attention_explorer

attention_explorer({"SmolLM2 (decoder)": (smol.model, smol.tokenizer),
                    "MiniLM (encoder)": (mini.model, mini.tokenizer)}, SENTENCE)

# %% [markdown]
# Things to look for: many heads put most of their attention on the first token (a resting place
# when a head has nothing to do); some heads look one token back; in some layer a head links "it" to
# "cat". A head's role is something we read into it: it is not labelled anywhere in the model.

# %% [markdown]
# ## 7. Subword tokenizers (서브워드): why Korean costs more tokens
#
# A **subword** (서브워드) tokenizer cuts text into pieces between characters and words: frequent words
# stay whole, rare ones are split into frequent pieces. Three real tokenizers: SmolLM2's **byte-level
# BPE** (49,152 pieces), MiniLM's **WordPiece** (30,522, lower-cased) and a **BPE we train here** on the King James Bible (1,000 pieces, in a second).
# Byte-level BPE can write anything as bytes; WordPiece turns what it cannot cover into `[UNK]`.
#
# **Predict first (먼저 예측하기):** the same sentence in English and in Korean. Which one needs more
# tokens, and by how much?

# %%
from course_utils.data.corpora import load_corpus, train_val_split
from course_utils.plots.tokens import chars_per_token, compare_tokenizers
from course_utils.training import lm

kjv = load_corpus("kjv")[:400_000]
train_text, val_text = train_val_split(kjv, 0.1)
kjv_tok = lm.train_bpe_tokenizer(train_text, vocab_size=1000)
tokenizers = {"SmolLM2 BPE": smol.tokenizer, "MiniLM WordPiece": mini.tokenizer, "KJV BPE (ours)": kjv_tok}
pd.set_option("display.max_colwidth", 120)
display(compare_tokenizers("The cat sat on the mat because it was tired.", tokenizers))
display(compare_tokenizers("고양이는 피곤해서 매트 위에 앉았다.", tokenizers))

# %%
english = ["The cat sat on the mat because it was tired.", "I would like a cup of coffee, please.",
           "Generative models learn the patterns of their training data.", "Where is the nearest train station?",
           "The weather is lovely today, so we are going for a walk."]
korean_texts = ["고양이는 피곤해서 매트 위에 앉았다.", "커피 한 잔 주세요.", "생성 모델은 학습 데이터의 패턴을 배운다.",
                "가장 가까운 기차역이 어디예요?", "오늘 날씨가 좋아서 우리는 산책하러 간다."]
cost = pd.DataFrame({name: {"English: characters per token": round(chars_per_token(t, english), 2),
                            "Korean: characters per token": round(chars_per_token(t, korean_texts), 2)}
                     for name, t in tokenizers.items()}).T
cost["Korean needs × more tokens per character"] = (cost.iloc[:, 0] / cost.iloc[:, 1]).round(1)
cost

# %%
# Self-check: in these English-centred vocabularies, a Korean character costs more tokens than an English one.
cu.expect("each tokenizer packs fewer Korean than English characters into a token",
          all(chars_per_token(t, korean_texts) < chars_per_token(t, english) for t in tokenizers.values()))

# %% [markdown]
# **Check your prediction.** SmolLM2 writes the English sentence in 11 tokens and the Korean one in 42.
# In the two large vocabularies an English token carries about four characters, a Korean one less
# than one: SmolLM2's BPE writes most Hangul syllables as three byte-tokens (`고(1/3)`, `고(2/3)`,
# `고(3/3)`: one byte each), because its vocabulary was built from mostly English text. MiniLM's
# WordPiece looks cheaper for Korean only because it splits syllables into letters and turns whole
# words into `[UNK]`, throwing the meaning away.
# For a Korean user that means a shorter effective context (the same 8,192 tokens hold several times
# less text), slower generation and a higher bill from any API priced per token. Models trained
# with Korean in their vocabulary (or tokenizers built for it) close the gap.
#
# Type your own text (Korean too) into the tokenizer playground:

# %%
# NBVAL_IGNORE_OUTPUT
# (a widget: its view is not stable text)
from course_utils.widgets.tokens import tokenizer_playground

tokenizer_playground(tokenizers, "고양이가 매트 위에 앉았다. The cat sat on the mat.")

# %% [markdown]
# ## 8. Architecture design is a real difficulty (올바른 설계)
#
# Choosing the architecture is one of the hard parts of building a generative model: how deep, how
# wide, how many heads, which pieces are essential? We train **the same tiny GPT** (2 layers, width 64,
# 4 heads, the architecture of Week 2's model, smaller) on the KJV for the same 120 steps, and change
# one thing at a time. Every run sees the same batches; lower held-out loss = better predictions.
#
# **Predict first (먼저 예측하기):** which change do you expect to hurt most: one head instead of four, no
# position embeddings, or no residual connections?

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
from course_utils.kernel.device import one_cpu_thread

train_ids, val_ids = lm.encode(kjv_tok, train_text), lm.encode(kjv_tok, val_text)

@one_cpu_thread()   # tiny models: one thread is faster and gives the same numbers anywhere
def train_gpt(n_layer=2, n_embd=64, n_head=4, **switches):
    """The same tiny GPT, seed and batches every time; returns (parameters, held-out loss)."""
    model = lm.make_tiny_gpt(len(kjv_tok), n_layer=n_layer, n_embd=n_embd, n_head=n_head, n_ctx=64,
                             seed=SEED, **switches)
    log = lm.train_lm(model, train_ids, val_ids, steps=120, batch_size=16, block_size=64, lr=3e-3,
                      seed=SEED, progress=False, eval_every=120)
    return model.num_parameters(), log.final_val_loss

variants = {
    "baseline: 2 layers × 64, 4 heads": {},
    "deeper: 4 layers × 64": {"n_layer": 4},
    "wider: 1 layer × 128": {"n_layer": 1, "n_embd": 128},
    "1 head": {"n_head": 1},
    "no position embeddings": {"positions": False},
    "no residual connections": {"residual": False},
}
design = {name: train_gpt(**kw) for name, kw in variants.items()}
pd.DataFrame(design, index=["parameters", "held-out loss"]).T.astype({"parameters": int}).round(3)

# %%
# Self-check: what this section claims, in bands taken from runs over seeds and torch versions.
base = design["baseline: 2 layers × 64, 4 heads"][1]
_ = cu.claim("no residual connections minus baseline held-out loss", design["no residual connections"][1] - base,
             at_least=0.5)
_ = cu.claim("1 head minus 4 heads held-out loss (heads barely matter here)", design["1 head"][1] - base,
             at_least=-0.1, at_most=0.1)
_ = cu.claim("no position embeddings minus baseline held-out loss", design["no position embeddings"][1] - base,
             at_least=-0.3, at_most=0.0)   # it did not hurt: every run over seeds and torch versions was below 0
_ = cu.claim("4 layers × 64 minus 1 layer × 128 held-out loss", design["deeper: 4 layers × 64"][1]
             - design["wider: 1 layer × 128"][1], at_least=0.1)

# %% [markdown]
# **Check your prediction.** What the table says, and what it does not:
#
# - **Residual connections are essential.** Without them every block must pass the whole signal
#   through attention and the MLP; the loss stalls far above the baseline. This is why every
#   Transformer has them (and why deep networks became trainable at all).
# - **Width beat depth here.** At a similar number of block parameters, one layer of width 128 learned
#   more in 120 steps than four layers of width 64. (Part of its lead is its larger embedding table.)
#   With more data and steps the balance shifts: real models are both deep and wide.
# - **The number of heads barely mattered**, at this size and budget.
# - **A surprise: removing the position embeddings did not hurt.** It even helped a little in our runs.
#   A *causal* model can work out positions by itself: a token at position 5 sees 5 tokens, one at
#   position 50 sees 50, and attention can count that. (An encoder cannot: section 5 showed that
#   attention over all tokens is blind to order.) In 120 steps the position table is also 64 × 64
#   numbers the model must learn from scratch. So "essential" depends on the model and the budget:
#   measure, don't assume.
#
# These are 120-step runs of a 170,000-parameter model: the ranking of choices can change at scale,
# which is the next section's subject.

# %% [markdown]
# ## 9. Start small, then scale (작게 시작해서 키우기)
#
# Training a big model is expensive, so practitioners first train a few small ones, fit how the loss
# falls with size, and **predict** the big run before paying for it (a *scaling law*; for large
# language models the loss falls roughly as a power of the parameter count). We do it in miniature:
# widths 32, 48 and 64, a straight line in log–log space, then width 96, predicted first and trained after.

# %%
# NBVAL_IGNORE_OUTPUT
# measured: training losses differ across CPUs, torch versions and seeds; the claims below check them
from course_utils.training.scaling import fit_power_law

small = {w: train_gpt(n_embd=w) for w in (32, 48)}
small[64] = design["baseline: 2 layers × 64, 4 heads"]                     # already trained above
law = fit_power_law([n for n, _ in small.values()], [loss for _, loss in small.values()])
n_big = lm.make_tiny_gpt(len(kjv_tok), n_layer=2, n_embd=96, n_head=4, n_ctx=64).num_parameters()
predicted = law.predict(n_big)
print(f"fit on widths 32, 48, 64: {law}")
print(f"width 96 ({n_big:,} parameters): predicted held-out loss {predicted:.3f}")
n96, actual = train_gpt(n_embd=96)
print(f"width 96, trained:         actual held-out loss    {actual:.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
sizes = [n for n, _ in small.values()]
ax.loglog(sizes, [loss for _, loss in small.values()], "o", label="small runs (fitted)")
grid = torch.logspace(torch.log10(torch.tensor(min(sizes) * 0.8)), torch.log10(torch.tensor(n_big * 1.2)), 50)
ax.loglog(grid, law.predict(grid.numpy()), "-", color="grey", label="power-law fit")
ax.loglog([n_big], [predicted], "x", ms=10, label="width 96: predicted")
ax.loglog([n96], [actual], "s", label="width 96: trained")
ax.set(xlabel="parameters", ylabel="held-out loss", title="Start small, then scale")
ax.legend(fontsize=8)
plt.show()

# %%
# Self-check: the small runs predicted the bigger one to within a rough margin (a fit on three points is a guide, not a promise).
_ = cu.claim("predicted minus actual held-out loss at width 96", predicted - actual, at_least=-0.25, at_most=0.1)
_ = cu.claim("actual held-out loss at width 96 minus at width 64 (bigger is better here)",
             actual - small[64][1], at_most=-0.05)

# %% [markdown]
# The prediction lands near the trained model, a little optimistic in our runs: with the budget fixed
# at 120 steps, a bigger model is further from done than a small one, and a pure power law has no floor.
# Real scaling studies fit many runs over a wide range and scale the data and steps with the model;
# the habit is the same: spend a little to learn how the big run will behave.

# %% [markdown]
# ## Exercises
#
# **1.** In SmolLM2, which layer and head link "it" most strongly to "cat"? Search all layers and
# heads with `anatomy.attention_map` (one forward pass, cached) and print the best three.

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: attention probabilities in float arithmetic (the ranking can differ in the last digits across machines)
cat = tokens.index("␣cat")
n_layers, n_heads = anatomy.layers_and_heads(smol.model)
links = sorted(((anatomy.attention_map(smol.model, smol.tokenizer, SENTENCE, l, h)[1][it, cat], l, h)
                for l in range(n_layers) for h in range(n_heads)), reverse=True)
for p, l, h in links[:3]:
    print(f"layer {l:>2}, head {h}: 'it' → 'cat' {p:.2f}")

# %% [markdown]
# **2.** Count the parameters of one MiniLM attention layer by hand from its configuration (queries,
# keys, values and the output projection, each a width × width matrix plus a bias) and compare with
# the module's own count.

# %%
# Solution
width = mini.model.config.hidden_size
by_hand = 4 * (width * width + width)
attention_module = mini.model.encoder.layer[0].attention
own = sum(p.numel() for n, p in attention_module.named_parameters() if "LayerNorm" not in n)
print(f"4 × ({width} × {width} + {width}) = {by_hand:,}; the module: {own:,}")
assert by_hand == own

# %% [markdown]
# **3.** Use the fitted law to predict the held-out loss at width 128. Would you trust it more or less
# than the width-96 prediction, and why?

# %%
# Solution
# NBVAL_IGNORE_OUTPUT
# measured: the fit comes from trained models
n128 = lm.make_tiny_gpt(len(kjv_tok), n_layer=2, n_embd=128, n_head=4, n_ctx=64).num_parameters()
print(f"width 128 ({n128:,} parameters): predicted {law.predict(n128):.3f}")
# Less: it is further outside the fitted range (extrapolation), and the fixed 120-step budget leaves a
# bigger model even further from done, so the real loss is likely higher than the prediction.

# %% [markdown]
# **4.** Write a Korean sentence of your own and measure its characters per token under the three
# tokenizers. Which tokenizer is cheapest for Korean, and does it have a catch?

# %%
# Solution
mine = "트랜스포머는 어텐션으로 문장을 읽는다."
display(compare_tokenizers(mine, tokenizers)[["tokenizer", "tokens", "chars per token", "unknown"]])
# MiniLM's WordPiece looks cheapest, but it lower-cases and splits Hangul into letters, and replaces words it
# cannot cover by [UNK]: cheap because it throws information away.

# %% [markdown]
# **5. Checked exercise.** Write single-head causal self-attention yourself: `causal_attention(q, k, v)`
# takes the queries, keys and values of T tokens, each a tensor of shape [T, d] (one row per token), and
# returns the [T, d] output: scores q·kᵀ / √d, the scores of keys *after* the query (column j > row i)
# set to −∞, a softmax over each row, then the weighted sum of the values. Run the cell: the checker
# compares your function with PyTorch's own `scaled_dot_product_attention(..., is_causal=True)` on small
# cases and, if they differ, tells you which mistake it recognised.

# %%
# Exercise 5: write causal_attention, then run this cell; the checker answers ✓ or says what to fix.
from course_utils.learn.exercise import check_exercise


def causal_attention(q, k, v):
    """q, k, v: tensors of shape [T, d], one row per token. Returns the [T, d] output of one attention
    head in which each token attends only to itself and the tokens before it."""
    raise NotImplementedError   # your code here


check_exercise("02b.causal_attention", causal_attention)

# %%
# Solution 5
def causal_attention(q, k, v):
    T, d = q.shape
    scores = q @ k.T / d ** 0.5                                      # how well query i matches key j
    future = torch.ones(T, T, dtype=torch.bool).triu(diagonal=1)     # True where key j comes after query i
    scores = scores.masked_fill(future, float("-inf"))               # -inf: probability exactly 0 after softmax
    return torch.softmax(scores, dim=-1) @ v                         # each row sums to 1, then mixes the values


check_exercise("02b.causal_attention", causal_attention)

# %% [markdown]
# **6. Start small, then scale (작게 시작해서 키우기): what should a doubled width buy?** Before paying for a
# bigger run, use what the small runs already tell you, with no new training. (a) By what factor does the
# fitted `law` say the loss is multiplied each time the parameter count doubles? (b) Doubling the width
# does *not* quadruple the parameters: by how much does it multiply them, for width 32 → 64, 48 → 96
# and 96 → 192, and why? (c) For the two doublings you trained (32 → 64 and 48 → 96), compare the loss
# the law expected with the loss training gave. (d) Your next run would be width 192: what held-out loss
# do you expect, and would you rather take the law's value or anchor it on the trained width-96 run?

# %%
# Solution 6
# NBVAL_IGNORE_OUTPUT
# measured: the fit and the losses come from trained models
params = {w: n for w, (n, _) in small.items()}
params[96] = n96
params[192] = lm.make_tiny_gpt(len(kjv_tok), n_layer=2, n_embd=192, n_head=4, n_ctx=64).num_parameters()
trained = {w: loss for w, (_, loss) in small.items()} | {96: actual}
print(f"(a) every doubling of the parameters multiplies the fitted loss by 2^(-{law.b:.3f}) = {2 ** -law.b:.3f}")
for w in (32, 48, 96):
    print(f"(b) width {w:>3} -> {2 * w:>3}: parameters x{params[2 * w] / params[w]:.2f}")
for w in (32, 48):
    print(f"(c) width {w} -> {2 * w}: the law expected loss x{law.predict(params[2 * w]) / law.predict(params[w]):.3f}, "
          f"training gave x{trained[2 * w] / trained[w]:.3f}")
anchored = actual * law.predict(params[192]) / law.predict(params[96])
print(f"(d) width 192: the law says {law.predict(params[192]):.3f}; its ratio applied to the trained width-96 "
      f"loss gives {anchored:.3f}")
# (b) The blocks grow with width² but the token-embedding table (1,000 tokens × width) and the position table
# only with width, so a doubled width buys less than 4x the parameters, and so less than two doublings' gain.
# (d) Anchoring on the trained 96 keeps the law's slope but starts from a real run, which already includes
# how far the fixed 120-step budget leaves a model from done (in our runs the bare law was a little optimistic
# at 96, section 9). With the budget still 120 steps, a width-192 run would likely land a little above either number.

# %%
# Solution check: what exercise 6 states (exact parameter counts; the trained losses fell at both doublings).
assert all(2 < params[2 * w] / params[w] < 4 for w in (32, 48, 96))
cu.expect("doubling the width lowered the held-out loss both times it was trained (32 → 64 and 48 → 96)",
          trained[64] < trained[32] and trained[96] < trained[48])

# %% [markdown]
# ## Quiz (퀴즈)
#
# Eight questions on this lesson. Choose an answer and press **Check**, or call
# `answer("02b", question, reply)` from `course_utils.learn.quiz`: every answer, right or wrong,
# comes with its explanation.

# %%
# NBVAL_IGNORE_OUTPUT
# (it displays a widget: its view is not stable text)
from course_utils.widgets.quiz import show_quiz
show_quiz("02b")

# %% [markdown]
# ## Summary
#
# - Generative AI produces new text, images and sound; this course runs a small real model of each
#   kind (03, 05–07, 08), and translation online with a Marian encoder–decoder.
# - A Transformer is embeddings (+ positions) → N × (self-attention + MLP, each with a residual
#   connection and a norm) → a head. In SmolLM2 the MLPs hold most parameters and the head is tied
#   to the token embeddings.
# - Self-attention is about twenty lines: queries, keys, values, scaled dot products, softmax, a
#   weighted sum, several heads. Ours equals both models' own attention, including SmolLM2's rotary
#   positions and grouped-query heads.
# - A decoder masks the future (exact zeros above the diagonal) and so can generate; an encoder reads
#   both sides and so suits classification; an encoder–decoder does both (translation).
# - Attention alone is blind to word order (a shuffle in, the same shuffle out); learned or rotary
#   position embeddings add it.
# - Korean costs several times more tokens per character than English in these English-centred
#   vocabularies: shorter context, slower, dearer.
# - Measured on a tiny GPT: removing residual connections hurts most, width beat depth, the head
#   count barely mattered, and (a surprise) removing position embeddings did not hurt a causal model
#   at this budget. A power law fitted on three small models predicted a bigger one within a rough
#   margin (checked claims, bands over seeds and torch versions).
# - The exercises: causal attention written by hand equals PyTorch's `scaled_dot_product_attention(is_causal=True)`;
#   doubling the width multiplies the parameters by less than 4 (the embedding tables grow only linearly), and the
#   fitted law says what each doubling should buy before any bigger run is paid for.
