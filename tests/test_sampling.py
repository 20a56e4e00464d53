"""course_utils.sampling.logits against transformers' own logits processors, plus property tests."""
import pytest
import torch
from transformers.generation.logits_process import (RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
                                                    TopKLogitsWarper, TopPLogitsWarper)

from course_utils.sampling import logits as S
from course_utils.kernel.errors import BadInputError

VOCAB = 257


def random_logits(seed, batch=3, vocab=VOCAB, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(batch, vocab, generator=g) * scale


def same(a, b):
    """Equal to float tolerance, with -inf in exactly the same places."""
    assert torch.equal(torch.isneginf(a), torch.isneginf(b))
    fin = ~torch.isneginf(a)
    torch.testing.assert_close(a[fin], b[fin], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("t", [0.1, 0.7, 1.0, 1.8])
def test_temperature_matches_transformers(seed, t):
    x = random_logits(seed)
    same(S.apply_temperature(x, t), TemperatureLogitsWarper(t)(None, x.clone()))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("k", [1, 2, 10, 50, VOCAB, VOCAB + 5])
def test_top_k_matches_transformers(seed, k):
    x = random_logits(seed)
    same(S.top_k_filter(x, k), TopKLogitsWarper(k)(None, x.clone()))


def test_top_k_ties_kept_like_transformers():
    x = torch.tensor([[3.0, 1.0, 3.0, 2.0, 2.0, 0.0]])
    same(S.top_k_filter(x, 3), TopKLogitsWarper(3)(None, x.clone()))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("p", [0.05, 0.3, 0.5, 0.9, 0.99, 1.0])
def test_top_p_matches_transformers(seed, p):
    x = random_logits(seed)
    same(S.top_p_filter(x, p), TopPLogitsWarper(p)(None, x.clone()))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("penalty", [0.5, 1.0, 1.3, 2.0])
def test_repetition_penalty_matches_transformers(seed, penalty):
    x = random_logits(seed)
    g = torch.Generator().manual_seed(100 + seed)
    prev = torch.randint(0, VOCAB, (3, 12), generator=g)  # repeats included: penalised once
    same(S.repetition_penalty(x, prev, penalty), RepetitionPenaltyLogitsProcessor(penalty)(prev, x.clone()))


def test_one_dimensional_logits_and_no_mutation():
    x = random_logits(7)[0]
    before = x.clone()
    for y in (S.apply_temperature(x, 0.5), S.top_k_filter(x, 5), S.top_p_filter(x, 0.5),
              S.repetition_penalty(x, [1, 2, 3], 1.5), S.to_probs(x)):
        assert y.shape == x.shape
    assert torch.equal(x, before)
    same(S.top_p_filter(x, 0.7), TopPLogitsWarper(0.7)(None, x.clone()[None])[0])


@pytest.mark.parametrize("seed", range(10))
def test_probabilities_sum_to_one_after_any_chain(seed):
    x = random_logits(seed)
    y = S.process_logits(x, temperature=0.3 + seed / 5, top_k=1 + 7 * seed, top_p=0.1 + seed / 11)
    p = S.to_probs(y)
    torch.testing.assert_close(p.sum(-1), torch.ones(3))
    assert (p >= 0).all()


@pytest.mark.parametrize("k", [1, 3, 17, 100])
def test_top_k_keeps_exactly_k_without_ties(k):
    x = random_logits(k)  # continuous random values: no ties
    kept = (~torch.isneginf(S.top_k_filter(x, k))).sum(-1)
    assert kept.tolist() == [k] * 3
    # and the kept ones are the k largest
    assert torch.equal(torch.topk(x, k).indices.sort().values,
                       torch.nonzero(~torch.isneginf(S.top_k_filter(x, k)))[:, 1].view(3, k))


def test_temperature_to_zero_tends_to_greedy():
    x = random_logits(3)
    p = S.to_probs(S.apply_temperature(x, 1e-3))
    assert torch.equal(p.argmax(-1), S.greedy(x))
    assert (p.max(-1).values > 0.999).all()
    # and entropy falls as the temperature falls
    ent = [float(-(q * q.clamp_min(1e-30).log()).sum(-1).mean())
           for q in (S.to_probs(S.apply_temperature(x, t)) for t in (2.0, 1.0, 0.5, 0.1))]
    assert ent == sorted(ent, reverse=True)


def test_top_p_one_and_top_k_zero_keep_everything():
    x = random_logits(4)
    assert not torch.isneginf(S.top_p_filter(x, 1.0)).any()
    assert not torch.isneginf(S.top_k_filter(x, 0)).any()


def test_top_p_keeps_smallest_set_reaching_p():
    x = random_logits(5)[0]
    p = 0.6
    kept = ~torch.isneginf(S.top_p_filter(x, p))
    probs = torch.softmax(x, -1)
    sp = probs.sort(descending=True).values
    n_needed = int((sp.cumsum(0) < p).sum()) + 1   # smallest prefix whose mass reaches p
    assert int(kept.sum()) == n_needed
    assert float(probs[kept].sum()) >= p - 1e-6


def test_sample_next_seeded_and_respects_filter():
    x = random_logits(6)[0]
    f = S.top_k_filter(x, 5)
    a = [int(S.sample_next(f, S.make_generator(11))) for _ in range(3)]
    assert len(set(a)) == 1                                   # same seed, same draw
    draws = [int(S.sample_next(f, g)) for g in [S.make_generator(1)] for _ in range(200)]
    assert set(draws) <= set(torch.topk(x, 5).indices.tolist())
    assert len(set(draws)) > 1                                # sampling spreads


def test_sample_frequencies_follow_probabilities():
    x = torch.log(torch.tensor([0.5, 0.3, 0.2]))
    g = S.make_generator(0)
    draws = S.sample_next(x.expand(20000, 3).contiguous(), g)
    freq = torch.bincount(draws, minlength=3).float() / 20000
    torch.testing.assert_close(freq, torch.tensor([0.5, 0.3, 0.2]), atol=0.02, rtol=0)


@pytest.mark.parametrize("call, words", [
    (lambda x: S.apply_temperature(x, 0), "greedy"),
    (lambda x: S.apply_temperature(x, -1.0), "greedy"),
    (lambda x: S.top_p_filter(x, 0), "(0, 1]"),
    (lambda x: S.top_p_filter(x, 1.5), "(0, 1]"),
    (lambda x: S.top_k_filter(x, -1), "top_k"),
    (lambda x: S.top_k_filter(x, 2.5), "whole number"),
    (lambda x: S.repetition_penalty(x, [1], 0), "repetition_penalty"),
    (lambda x: S.repetition_penalty(x, [VOCAB + 1], 1.2), "token ids"),
    (lambda x: S.to_probs(torch.full_like(x, float("-inf"))), "filtered out"),
    (lambda x: S.apply_temperature(x.long(), 1.0), "floating point"),
    (lambda x: S.make_generator(-3), "seed"),
])
def test_bad_input_messages(call, words):
    with pytest.raises(BadInputError, match=None) as err:
        call(random_logits(0))
    assert words in str(err.value)
    assert isinstance(err.value, ValueError)


def test_guidance_is_transformers_cfg_with_scale_one_plus_w():
    """sampling.logits.guided (lessons 07/08: w = 0 is the plain conditional model) equals
    transformers' ClassifierFreeGuidanceLogitsProcessor at guidance_scale = 1 + w."""
    from transformers import ClassifierFreeGuidanceLogitsProcessor

    from course_utils.sampling.logits import guided

    g = torch.Generator().manual_seed(0)
    cond, uncond = torch.randn(2, 7, generator=g), torch.randn(2, 7, generator=g)
    w = 1.5
    want = ClassifierFreeGuidanceLogitsProcessor(1 + w)(torch.zeros(2, 1, dtype=torch.long), torch.cat([cond, uncond]))
    got = guided(cond, uncond, w)
    assert torch.allclose(got, want, atol=1e-5)
    assert torch.equal(guided(cond, uncond, 0.0), cond)
