"""Prompt encoding with the real MiniLM: unit vectors, mean pooling over the mask, caching,
paraphrases closer than unrelated text, and the digit a prompt names."""
import pytest
import torch

import course_utils as cu
from course_utils.generators import text_condition as TC


def test_vectors_are_unit_length_and_cached():
    v = TC.encode_prompts(["a handwritten seven", "draw the number 7"])
    assert v.shape == (2, 384) and v.dtype == torch.float32
    assert torch.allclose(v.norm(dim=1), torch.ones(2), atol=1e-5)
    assert torch.equal(TC.encode_prompts("a handwritten seven")[0], v[0])    # from the cache


def test_mean_pooling_ignores_padding():
    """A short prompt encoded alone and next to a long one (so padded) gives the same vector."""
    lm = TC.sentence_encoder()
    short = "seven"
    enc = lm.tokenizer([short], return_tensors="pt")
    with torch.no_grad():
        h = lm.model(**enc).last_hidden_state[0]
    by_hand = torch.nn.functional.normalize(h.mean(0), dim=0)   # no padding: a plain mean
    TC._cache.pop(short, None)
    batched = TC.encode_prompts([short, "the number seven written by hand on lined paper"])[0]
    assert torch.allclose(batched, by_hand, atol=1e-4)


# Library twin: sentence-transformers 6.2.0 on the same weights, modules Transformer -> Pooling(mean) ->
# Normalize (all-MiniLM-L6-v2's own recipe), run once with `pip install sentence-transformers`; it is not a
# dependency of the course, so its vectors are stored here (first 6 of 384 values, and the two vectors' cosine).
SENTENCE_TRANSFORMERS = {
    "a handwritten seven": [-0.10209, 0.020273, 0.002071, 0.033543, -0.0566, 0.083667],
    "the number three, written by hand": [-0.016013, 0.004965, -0.064888, -0.001493, -0.091739, 0.052327],
}
SENTENCE_TRANSFORMERS_COSINE = 0.4468756


def test_mean_pooling_matches_sentence_transformers():
    texts = list(SENTENCE_TRANSFORMERS)
    for text in texts:
        TC._cache.pop(text, None)
    v = TC.encode_prompts(texts)                                 # batched: the shorter one is padded
    for row, text in zip(v, texts):
        assert row[:6].tolist() == pytest.approx(SENTENCE_TRANSFORMERS[text], abs=2e-5)
    assert float(v[0] @ v[1]) == pytest.approx(SENTENCE_TRANSFORMERS_COSINE, abs=2e-5)


def test_paraphrases_are_closer_than_unrelated_text():
    sims = TC.cosine_matrix(["a handwritten seven", "draw the number seven", "a cat sleeping on a sofa"])
    assert sims[0, 1] > 0.5 > sims[0, 2] + 0.2


def test_empty_prompt_is_rejected():
    with pytest.raises(cu.BadInputError, match="empty"):
        TC.encode_prompts(["   "])


@pytest.mark.parametrize("text,digit", [("a handwritten seven", 7), ("draw the number 7", 7), ("Seven", 7),
                                        ("0", 0), ("a cat", None), ("one or two", None), ("3.5", None)])
def test_named_digit(text, digit):
    assert TC.named_digit(text) == digit


def test_phrasings_cover_every_digit_in_words_and_numerals():
    pairs = TC.digit_phrasings()
    assert len(pairs) == 10 * len(TC.TRAIN_TEMPLATES) * 2
    assert all(TC.named_digit(t) == d for t, d in pairs)
    assert not set(t for t, _ in pairs) & set(t for t, _ in TC.digit_phrasings(TC.HELD_OUT_TEMPLATES))
