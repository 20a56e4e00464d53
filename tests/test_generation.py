"""The hand-written generation loop against model.generate, on a tiny random Llama."""
import pytest
import torch

from course_utils.sampling import generation as G
from course_utils.kernel.errors import BadInputError
from tiny_text_model import tiny_lm, tiny_tokenizer

PROMPT = "once upon a time there was"


@pytest.fixture(scope="module")
def lm():
    return tiny_lm(context=48)


def hf_greedy(model, tok, prompt, n):
    ids = G.encode_prompt(tok, prompt)
    out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=n,
                         pad_token_id=tok.pad_token_id)
    new = out[0, ids.shape[1]:].tolist()
    return new[:new.index(tok.eos_token_id)] if tok.eos_token_id in new else new


@pytest.mark.parametrize("prompt", [PROMPT, "the king", [{"role": "user", "content": "tell a story"}]])
def test_greedy_hand_loop_equals_generate(lm, prompt):
    model, tok = lm
    res = G.generate_by_hand(model, tok, prompt, 12)
    assert res.token_ids == hf_greedy(model, tok, prompt, 12)
    assert len(res.step_probs) == len(res.token_ids) == len(res.step_logprobs)


def test_cache_on_and_off_give_same_tokens(lm):
    model, tok = lm
    a = G.generate_by_hand(model, tok, PROMPT, 15, use_cache=True)
    b = G.generate_by_hand(model, tok, PROMPT, 15, use_cache=False)
    assert a.token_ids == b.token_ids
    torch.testing.assert_close(torch.tensor(a.step_logprobs), torch.tensor(b.step_logprobs), atol=1e-4, rtol=0)


def test_seeded_sampling_is_reproducible_and_seeds_differ(lm):
    model, tok = lm
    kw = dict(temperature=1.5, top_k=40, top_p=0.95)
    a = G.generate_by_hand(model, tok, PROMPT, 12, seed=3, **kw)
    b = G.generate_by_hand(model, tok, PROMPT, 12, seed=3, **kw)
    assert a.token_ids == b.token_ids
    others = {tuple(G.generate_by_hand(model, tok, PROMPT, 12, seed=s, **kw).token_ids) for s in range(6)}
    assert len(others) > 1
    assert all(0 < p <= 1 for p in a.step_probs)


def test_sample_candidates_seeded(lm):
    model, tok = lm
    a = G.sample_candidates(model, tok, PROMPT, 4, 8, temperature=1.2, seed=5)
    b = G.sample_candidates(model, tok, PROMPT, 4, 8, temperature=1.2, seed=5)
    assert a == b and len(a) == 4


def test_top_k_one_sampling_is_greedy(lm):
    model, tok = lm
    assert (G.generate_by_hand(model, tok, PROMPT, 10, top_k=1, seed=0).token_ids
            == G.generate_by_hand(model, tok, PROMPT, 10).token_ids)


def test_step_logprobs_match_independent_scoring(lm):
    model, tok = lm
    res = G.generate_by_hand(model, tok, PROMPT, 10, temperature=1.0, seed=1)
    scored = G.mean_log_likelihood(model, tok, PROMPT, [res.token_ids])[0]
    assert scored == pytest.approx(res.mean_logprob, abs=1e-4)


def test_mean_log_likelihood_batch_equals_one_by_one(lm):
    model, tok = lm
    conts = [[10, 11, 12], [20], [30, 31, 32, 33, 34]]
    together = G.mean_log_likelihood(model, tok, PROMPT, conts)
    alone = [G.mean_log_likelihood(model, tok, PROMPT, [c])[0] for c in conts]
    assert together == pytest.approx(alone, abs=1e-4)


def test_stop_string_and_eos(lm):
    model, tok = lm
    free = G.generate_by_hand(model, tok, PROMPT, 12)
    word = free.text.split()[2]
    stopped = G.generate_by_hand(model, tok, PROMPT, 12, stop_strings=[word])
    assert stopped.stopped_by == "stop string"
    assert word not in stopped.text and free.text.startswith(stopped.text)
    # make </s> the most likely first token: copy the greedy token's output row, scaled up
    first = free.token_ids[0]
    with torch.no_grad():
        logits = model(G.encode_prompt(tok, PROMPT)).logits[0, -1]
        assert logits[first] > 0
        saved = model.lm_head.weight[tok.eos_token_id].clone()
        model.lm_head.weight[tok.eos_token_id] = model.lm_head.weight[first] * 10
    try:
        res = G.generate_by_hand(model, tok, PROMPT, 5)
        ref = hf_greedy(model, tok, PROMPT, 5)
    finally:
        with torch.no_grad():
            model.lm_head.weight[tok.eos_token_id] = saved
    assert res.stopped_by == "eos" and res.token_ids == [] == ref


def test_distinct_n_hand_computed():
    assert G.distinct_n(["a b c d"], 1) == 1.0
    assert G.distinct_n(["a a a a"], 1) == 0.25          # 1 distinct of 4
    assert G.distinct_n(["a b a b"], 2) == 2 / 3         # ab, ba, ab
    assert G.distinct_n(["a b", "a b"], 2) == 0.5        # pooled over texts
    assert G.distinct_n([[1, 2, 3], [1, 2, 4]], 2) == 3 / 4
    assert G.distinct_n(["a"], 2) == 0.0
    assert G.distinct_n([5, 5, 5], 1) == G.distinct_n("5 5 5", 1) == 1 / 3      # one sequence


def test_next_token_distribution_cached(lm):
    model, tok = lm
    G.clear_distribution_cache()
    a = G.next_token_distribution(model, tok, PROMPT)
    b = G.next_token_distribution(model, tok, PROMPT)
    assert G.cache_stats == {"hits": 1, "misses": 1}
    assert torch.equal(a, b)
    with torch.no_grad():
        ref = model(G.encode_prompt(tok, PROMPT)).logits[0, -1]
    torch.testing.assert_close(a, ref)
    a[0] = 123.0                                              # a copy: the cache is not changed
    assert G.next_token_distribution(model, tok, PROMPT)[0] != 123.0


def test_chat_prompt_has_system_and_few_shot(lm):
    _, tok = lm
    text = G.chat_prompt(tok, G.chat_messages("the end", system="be happy", examples=[("i love", "great")]))
    assert text.index("be happy") < text.index("i love") < text.index("great") < text.index("the end")
    assert text.rstrip().endswith("assistant :")


@pytest.mark.parametrize("kwargs, words", [
    (dict(temperature=0), "greedy"), (dict(top_p=0.0), "(0, 1]"), (dict(top_p=1.2), "(0, 1]"),
    (dict(top_k=-1), "top_k"), (dict(max_new_tokens=100), "max_position_embeddings"),
    (dict(max_new_tokens=0), "max_new_tokens"), (dict(prompt="   "), "empty"),
    (dict(repetition_penalty=-1.0), "repetition_penalty"), (dict(stop_strings=[""]), "stop_strings"),
])
def test_bad_settings_raise_clear_errors(lm, kwargs, words):
    model, tok = lm
    args = dict(prompt=PROMPT, max_new_tokens=5) | kwargs
    with pytest.raises(BadInputError) as err:
        G.generate_by_hand(model, tok, args.pop("prompt"), args.pop("max_new_tokens"), **args)
    assert words in str(err.value)


def test_chat_prompt_without_template_explains():
    tok = tiny_tokenizer()
    tok.chat_template = None
    with pytest.raises(BadInputError, match="chat template"):
        G.chat_prompt(tok, "hello")


def test_sample_candidates_shared_prompt_cache_continues_the_prompt(lm):
    # the prompt's keys/values are computed once and repeated: with top_k=1 every candidate must
    # be exactly the greedy continuation, which a wrong or misaligned cache would not give
    model, tok = lm
    greedy = G.generate_by_hand(model, tok, PROMPT, 8).token_ids
    ids = G.encode_prompt(tok, PROMPT)
    assert G._shared_prompt_cache(model, ids, 3) is not None
    assert G.sample_candidates(model, tok, PROMPT, 3, 8, top_k=1, seed=0) == [greedy] * 3


@pytest.mark.parametrize("kw", [dict(temperature=0.8), dict(temperature=1.3, top_k=20), dict(top_p=0.9)])
def test_sampled_hand_loop_equals_generate_with_the_same_seed(lm, kw):
    """The library twin of the sampled path: transformers' own logits processors and draw, seeded
    the same way (one multinomial per step from a CPU generator), give the same tokens."""
    model, tok = lm
    res = G.generate_by_hand(model, tok, PROMPT, 16, seed=7, **kw)
    ids = G.encode_prompt(tok, PROMPT)
    torch.manual_seed(7)
    out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=True, max_new_tokens=16,
                         pad_token_id=tok.pad_token_id, top_k=kw.get("top_k", 0), top_p=kw.get("top_p", 1.0),
                         temperature=kw.get("temperature", 1.0))
    new = out[0, ids.shape[1]:].tolist()
    new = new[:new.index(tok.eos_token_id)] if tok.eos_token_id in new else new
    assert res.token_ids == new
