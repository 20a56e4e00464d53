"""Tests for course_utils.finetuning.finetune and the metrics it relies on, against independent counts."""
import copy

import pytest
import torch

from course_utils.kernel.errors import BadInputError
from course_utils.finetuning.finetune import (add_lora, check_class_coverage, count_trainable,
                                              data_efficiency_run, finetune_and_score, freeze_all_but,
                                              padded_lm_batch, make_classifier, mean_token_loss,
                                              style_snippets)
from course_utils.training.classifier import check_labels, confusion_matrix, macro_f1


@pytest.fixture(scope="module")
def minilm():
    """The pretrained MiniLM classifier, loaded once for this module. Tests only read it: a test
    that changes a model (freezing, LoRA) works on its own copy.deepcopy of `minilm.model`."""
    return make_classifier(pretrained=True, seed=0)


@pytest.fixture(scope="module")
def pair(minilm):
    return minilm, make_classifier(pretrained=False, seed=0)


def _by_hand(model, keep):
    """Count parameters whose name passes `keep`, straight from named_parameters."""
    return sum(p.numel() for n, p in model.named_parameters() if keep(n))


def test_scratch_has_same_architecture_but_different_weights(pair):
    pre, scr = pair
    pre_params, scr_params = dict(pre.model.named_parameters()), dict(scr.model.named_parameters())
    assert list(pre_params) == list(scr_params)
    assert all(pre_params[n].shape == scr_params[n].shape for n in pre_params)
    assert count_trainable(pre.model)[1] == count_trainable(scr.model)[1]
    w = "bert.encoder.layer.0.attention.self.query.weight"
    assert not torch.allclose(pre_params[w], scr_params[w])
    # scratch is seeded: the same seed gives the same random weights
    again = make_classifier(pretrained=False, seed=0).model
    assert torch.equal(dict(again.named_parameters())[w], scr_params[w])


def test_freezing_leaves_exactly_the_expected_parameters(minilm):
    model = copy.deepcopy(minilm.model)   # freezing changes the model: a copy, not the shared one
    head = lambda n: n.startswith("classifier.") or n.startswith("bert.pooler.")
    freeze_all_but(model, "head")
    assert count_trainable(model)[0] == _by_hand(model, head)
    assert {n for n, p in model.named_parameters() if p.requires_grad} == {n for n, _ in model.named_parameters() if head(n)}
    freeze_all_but(model, "last_k", k=2)  # MiniLM has 6 blocks: 4 and 5
    last2 = lambda n: head(n) or n.startswith(("bert.encoder.layer.4.", "bert.encoder.layer.5."))
    assert {n for n, p in model.named_parameters() if p.requires_grad} == {n for n, _ in model.named_parameters() if last2(n)}
    freeze_all_but(model, "all")
    assert count_trainable(model)[0] == sum(p.numel() for p in model.parameters())
    with pytest.raises(BadInputError):
        freeze_all_but(model, "last_k", k=7)
    with pytest.raises(BadInputError):
        freeze_all_but(model, "middle")


def test_lora_adds_r_times_in_plus_out_per_matrix(minilm):
    model = copy.deepcopy(minilm.model)   # add_lora changes the model in place
    cfg = model.config
    head = _by_hand(model, lambda n: n.startswith("classifier.") or n.startswith("bert.pooler."))
    r = 4
    peft_model = add_lora(model, r=r, target_modules=("query", "value"))
    d = cfg.hidden_size
    expected_lora = cfg.num_hidden_layers * 2 * r * (d + d)  # A: r x in, B: out x r
    lora = sum(p.numel() for n, p in peft_model.named_parameters() if "lora_" in n and p.requires_grad)
    assert lora == expected_lora
    assert count_trainable(peft_model)[0] == expected_lora + head
    with pytest.raises(BadInputError):
        add_lora(copy.deepcopy(minilm.model), r=4, target_modules=("q_proj",))
    assert not any("lora_" in n for n, _ in minilm.model.named_parameters())   # the shared model is untouched


def test_data_efficiency_run_equals_the_hand_loop_and_reuses_known_runs(capsys):
    from course_utils.data.tweets import tweet_splits
    recipe = dict(epochs=1, batch_size=4, lr=2e-4, max_len=16)
    state = torch.get_rng_state()
    rows = data_efficiency_run((2,), seeds=(1,), per_class_test=4, seed=0, known={(False, 2, 1): 0.25}, **recipe)
    assert torch.equal(torch.get_rng_state(), state)   # the caller's random stream is left alone
    assert [(r["pretrained"], r["per_class"], r["seed"], r["reused"]) for r in rows] == [(True, 2, 1, False),
                                                                                      (False, 2, 1, True)]
    assert rows[1]["accuracy"] == 0.25 and "steps" not in rows[1]          # reused as given, not trained
    assert "(reused)" in capsys.readouterr().out
    # the loop notebook 04 used to run by hand: run seed 1 draws the training tweets, the test set is seed 0's
    train, test = tweet_splits(per_class_train=2, per_class_test=4, seed=0, train_seed=1)
    with torch.random.fork_rng():
        torch.manual_seed(1)
        hand = finetune_and_score(make_classifier(pretrained=True, seed=1), train, test, seed=1, **recipe)
    assert rows[0]["losses"] == hand["losses"] and rows[0]["steps"] == 2   # same tweets, dropout and batch order
    assert rows[0]["pred"].tolist() == hand["pred"].tolist() and rows[0]["accuracy"] == hand["accuracy"]


def test_check_labels_and_class_coverage():
    with pytest.raises(BadInputError, match="num_labels=3"):
        check_labels([0, 1, 3], num_labels=3)
    check_labels([0, 1, 2], num_labels=3)
    with pytest.raises(BadInputError, match="neutral"):
        check_class_coverage([0, 2, 2, 0])
    check_class_coverage([0, 1, 2])


def test_macro_f1_and_confusion_matrix_against_hand_counts():
    # course_utils calls scikit-learn; the reference here is counted by hand
    gold = [0, 0, 0, 1, 1, 2, 2, 2]
    pred = [0, 0, 1, 1, 2, 2, 2, 0]
    cm = confusion_matrix(pred, gold, 3)
    assert cm.tolist() == [[2, 1, 0], [0, 1, 1], [1, 0, 2]]       # row = true class, column = predicted
    # per class F1 = 2TP / (2TP + FP + FN): class 0: 4/6, class 1: 2/4, class 2: 4/6
    assert macro_f1(pred, gold, 3) == pytest.approx((4 / 6 + 2 / 4 + 4 / 6) / 3)
    # a class never predicted and never present is skipped, not counted as F1 = 0
    assert macro_f1([0, 1, 1], [0, 1, 0], 3) == pytest.approx((2 / 3 + 2 / 3) / 2)
    with pytest.raises(BadInputError, match="0..2"):
        confusion_matrix([0, 3], [0, 1], 3)


def test_mean_token_loss_equals_hand_computed_cross_entropy():
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast
    from tokenizers import Tokenizer, models, pre_tokenizers
    vocab = {w: i for i, w in enumerate(["<pad>", "a", "b", "c", "d"])}
    raw = Tokenizer(models.WordLevel(vocab, unk_token="<pad>"))
    raw.pre_tokenizer = pre_tokenizers.Whitespace()
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, pad_token="<pad>")
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=5, n_layer=1, n_embd=16, n_head=2, n_positions=16)).eval()
    texts = ["a b c d", "b c"]
    nll, count = 0.0, 0
    for t in texts:  # one text at a time, no padding: sum of -log p(next token)
        ids = torch.tensor([[vocab[w] for w in t.split()]])
        with torch.no_grad():
            logp = torch.log_softmax(model(ids).logits[0], -1)
        nll -= sum(logp[i, ids[0, i + 1]].item() for i in range(ids.shape[1] - 1))
        count += ids.shape[1] - 1
    assert mean_token_loss(model, tok, texts, batch_size=2) == pytest.approx(nll / count, rel=1e-5)
    assert (padded_lm_batch(tok, texts)["labels"] == -100).sum() == 2  # the padding of "b c"


def test_style_snippets_are_fixed_by_seed():
    text = "\n".join(f"Line number {i} of a long verse here" for i in range(100))
    a, b = style_snippets(text, 5, seed=3), style_snippets(text, 5, seed=3)
    assert a == b and len(a) == 5 and all(s.count("\n") == 1 for s in a)
    with pytest.raises(BadInputError):
        style_snippets(text, 500)
