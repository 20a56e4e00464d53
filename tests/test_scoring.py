"""course_utils.training.scoring, the one token-scoring core, against transformers' own loss and a step-by-step pass."""
import math

import pytest
import torch

from course_utils.kernel.errors import BadInputError
from course_utils.training.schedule import cosine_decay, linear_warmup
from course_utils.training.scoring import continuation_nll, next_token_nll
from course_utils.training.log import TrainLog

from tiny_text_model import tiny_lm


@pytest.fixture(scope="module")
def lm():
    return tiny_lm()


def test_mean_nll_is_the_models_own_loss_with_and_without_padding(lm):
    model, tok = lm
    ids = tok(["once upon a time there was", "the king had three daughters one day"], padding=True,
              return_tensors="pt")
    labels = ids["input_ids"].masked_fill(ids["attention_mask"] == 0, -100)
    nll = next_token_nll(model, ids["input_ids"], ids["attention_mask"], labels)
    assert nll.shape == (2, ids["input_ids"].shape[1] - 1)
    assert (nll[labels[:, 1:] == -100] == 0).all() and (nll[labels[:, 1:] != -100] > 0).all()
    with torch.no_grad():
        library = model(**ids, labels=labels).loss          # transformers' mean over scored tokens
    assert nll.sum() / (labels[:, 1:] != -100).sum() == pytest.approx(float(library), rel=1e-5)


def test_continuation_nll_matches_scoring_each_token_alone(lm):
    model, tok = lm
    prompt = tok("once upon a", add_special_tokens=False)["input_ids"]
    conts = [tok(" time there was", add_special_tokens=False)["input_ids"], tok(" king", add_special_tokens=False)["input_ids"]]
    batched = continuation_nll(model, prompt, conts)                 # one padded pass
    for c, got in zip(conts, batched):
        ids = prompt + c
        with torch.no_grad():                                         # one pass per token, no padding
            want = [-torch.log_softmax(model(input_ids=torch.tensor([ids[:t]])).logits[0, -1], -1)[ids[t]]
                    for t in range(len(prompt), len(ids))]
        assert got.tolist() == pytest.approx([float(w) for w in want], rel=1e-4)
    with pytest.raises(BadInputError, match="at least one token"):
        continuation_nll(model, prompt, [[]])
    with pytest.raises(BadInputError, match="no tokens"):
        continuation_nll(model, [], conts)


def test_schedule_pieces():
    assert [linear_warmup(s, 4) for s in range(6)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    assert linear_warmup(0, 0) == 1.0
    assert cosine_decay(0, 100) == 1.0 and cosine_decay(50, 100) == pytest.approx(0.5)
    assert cosine_decay(100, 100, floor=0.1) == pytest.approx(0.1) == cosine_decay(500, 100, floor=0.1)
    values = [cosine_decay(s, 100) for s in range(101)]
    assert all(a >= b for a, b in zip(values, values[1:]))            # never rises


def test_train_log_smoothing_is_a_trailing_mean():
    log = TrainLog(losses=[4.0, 2.0, 6.0, 0.0, 2.0])
    assert log.steps == 5
    assert log.smoothed(2) == [4.0, 3.0, 4.0, 3.0, 1.0]
    assert log.smoothed(50) == pytest.approx([4.0, 3.0, 4.0, 3.0, 2.8])
    assert math.isnan(TrainLog().final_val_loss)
    log.record_eval(5, 1.5, 1.2)
    assert (log.eval_steps, log.val_loss, log.eval_train_loss, log.final_val_loss) == ([5], [1.5], [1.2], 1.5)
