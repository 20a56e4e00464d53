"""A tiny random causal LM + word-level tokenizer for fast generation tests (no download).

Used by test_generation.py, test_probes.py and test_widgets_text.py (through `tiny_lm`). Random weights are enough: the tests
compare two ways of computing the same thing, never the quality of the text.
"""
from __future__ import annotations

import torch
from tokenizers import Tokenizer, models, pre_tokenizers, decoders
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

WORDS = ("once upon a time there was an old king who lived in castle by the sea and he had three "
         "daughters one day storm came over hills . , ! ? happy sad good bad movie was great terrible "
         "i love hate this film story end").split()
CHAT_TEMPLATE = ("{% for m in messages %}<s> {{ m['role'] }} : {{ m['content'] }} </s> {% endfor %}"
                 "{% if add_generation_prompt %}<s> assistant : {% endif %}")


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    vocab = {w: i for i, w in enumerate(["<unk>", "<s>", "</s>", "system", "user", "assistant", ":"] + WORDS)}
    tk = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tk.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    tok = PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="<unk>", bos_token="<s>", eos_token="</s>",
                                  pad_token="</s>")
    tok.chat_template = CHAT_TEMPLATE
    return tok


def tiny_model(tok, *, context: int = 64, seed: int = 0) -> LlamaForCausalLM:
    torch.manual_seed(seed)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=context,
                      bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model = LlamaForCausalLM(cfg).eval()
    with torch.no_grad():  # sharper logits than the default init, so greedy choices are clear
        model.lm_head.weight.mul_(20)
    return model


def tiny_lm(*, context: int = 64, seed: int = 0):
    """(model, tokenizer): what each test module's `lm` fixture returns."""
    tok = tiny_tokenizer()
    return tiny_model(tok, context=context, seed=seed), tok
