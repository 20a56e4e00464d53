"""Lesson 09's checked exercises: each checker accepts the worked solution and diagnoses typical mistakes."""
import random

import numpy as np
import torch

from course_utils.learn.exercise import check_exercise


def corrupt(texts, fraction, seed):              # the worked solution, as in the solutions edition
    rng = random.Random(seed)
    words = [t.split() for t in texts]
    vocab = sorted({w for ws in words for w in ws})
    positions = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    for i, j in rng.sample(positions, round(fraction * len(positions))):
        new = rng.choice(vocab)
        while new == words[i][j]:
            new = rng.choice(vocab)
        words[i][j] = new
    return [" ".join(ws) for ws in words]


def cost_estimate(n_params, n_tokens, bits):     # the worked solution
    return 6 * n_params * n_tokens, n_params * bits / 8


# --- 09.corrupt ---------------------------------------------------------------------------------

def test_the_corrupt_solution_passes():
    r = check_exercise("09.corrupt", corrupt)
    assert r.passed, r.message


def test_the_checker_leaves_every_global_random_stream_alone():
    def global_seed(texts, fraction, seed):      # wrong (moves the global stream): the checker must undo it
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)
        return corrupt(texts, fraction, seed)
    before = random.getstate(), np.random.get_state()[1].copy(), torch.random.get_rng_state()
    for fn in (corrupt, global_seed):
        check_exercise("09.corrupt", fn)
        assert random.getstate() == before[0]
        assert np.array_equal(np.random.get_state()[1], before[1])
        assert torch.equal(torch.random.get_rng_state(), before[2])


def test_a_coin_flip_per_word_is_diagnosed():
    def wrong(texts, fraction, seed):
        rng = random.Random(seed)
        vocab = sorted({w for t in texts for w in t.split()})
        out = []
        for t in texts:
            ws = t.split()
            for j, w in enumerate(ws):
                if rng.random() < fraction:
                    ws[j] = rng.choice([v for v in vocab if v != w])
            out.append(" ".join(ws))
        return out
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "choose" in r.message and "rng.sample" in r.message


def test_drawing_the_same_word_back_is_diagnosed():
    def wrong(texts, fraction, seed):
        rng = random.Random(seed)
        words = [t.split() for t in texts]
        vocab = sorted({w for ws in words for w in ws})
        positions = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
        for i, j in rng.sample(positions, round(fraction * len(positions))):
            words[i][j] = rng.choice(vocab)      # may be the word itself
        return [" ".join(ws) for ws in words]
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "can be the word itself" in r.message


def test_truncating_and_inverting_the_fraction_are_diagnosed():
    def truncating(texts, fraction, seed):
        return _replace_k(texts, int(fraction * sum(len(t.split()) for t in texts)), seed)

    def inverted(texts, fraction, seed):
        n = sum(len(t.split()) for t in texts)
        return _replace_k(texts, n - round(fraction * n), seed)
    assert "round it instead" in check_exercise("09.corrupt", truncating).message
    assert "that is 1 - fraction" in check_exercise("09.corrupt", inverted).message


def _replace_k(texts, k, seed):
    rng = random.Random(seed)
    words = [t.split() for t in texts]
    vocab = sorted({w for ws in words for w in ws})
    positions = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    for i, j in rng.sample(positions, k):
        words[i][j] = rng.choice([v for v in vocab if v != words[i][j]])
    return [" ".join(ws) for ws in words]


def test_an_unseeded_function_is_diagnosed():
    def wrong(texts, fraction, seed):
        return corrupt(texts, fraction, random.random())   # ignores the seed it was given
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "not reproducible" in r.message


def test_using_the_global_random_module_is_diagnosed():
    def wrong(texts, fraction, seed):
        random.seed(seed)
        return _replace_k(texts, round(fraction * sum(len(t.split()) for t in texts)), random.random())
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "changed the global random state" in r.message


def test_ignoring_the_seed_is_diagnosed():
    r = check_exercise("09.corrupt", lambda texts, fraction, seed: corrupt(texts, fraction, 0))
    assert not r.passed and "gave the same corruption" in r.message


def test_changing_the_number_of_words_is_diagnosed():
    def wrong(texts, fraction, seed):
        return [t + " extra" for t in corrupt(texts, fraction, seed)]
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "changed the number of words" in r.message


def test_mutating_the_input_list_is_diagnosed():
    def wrong(texts, fraction, seed):
        texts[:] = corrupt(texts, fraction, seed)
        return texts
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "changed the list passed in" in r.message


def test_random_letters_are_diagnosed():
    def wrong(texts, fraction, seed):
        return [" ".join("zzq" if j == 0 else w for j, w in enumerate(t.split())) for t in texts]
    r = check_exercise("09.corrupt", wrong)
    assert not r.passed and "not in the texts' vocabulary" in r.message


def test_corrupt_stub_is_not_written_yet():
    def stub(texts, fraction, seed):
        raise NotImplementedError
    assert "not written yet" in check_exercise("09.corrupt", stub).message


# --- 09.cost -----------------------------------------------------------------------------------

def test_the_cost_solution_passes():
    r = check_exercise("09.cost", cost_estimate)
    assert r.passed, r.message


def test_forward_only_flops_are_diagnosed():
    r = check_exercise("09.cost", lambda n, d, bits: (2 * n * d, n * bits / 8))
    assert not r.passed and "the forward pass only" in r.message


def test_forgetting_the_tokens_is_diagnosed():
    r = check_exercise("09.cost", lambda n, d, bits: (6 * n, n * bits / 8))
    assert not r.passed and "do not depend on the tokens" in r.message


def test_bits_instead_of_bytes_is_diagnosed():
    r = check_exercise("09.cost", lambda n, d, bits: (6 * n * d, n * bits))
    assert not r.passed and "counts bits, not bytes" in r.message


def test_adam_memory_and_gib_are_diagnosed():
    assert "training with Adam" in check_exercise("09.cost", lambda n, d, bits: (6 * n * d, 16 * n)).message
    assert "return bytes" in check_exercise("09.cost", lambda n, d, bits: (6 * n * d, n * bits / 8 / 1024 ** 3)).message


def test_cost_stub_is_not_written_yet():
    def stub(n_params, n_tokens, bits):
        raise NotImplementedError
    assert "not written yet" in check_exercise("09.cost", stub).message
