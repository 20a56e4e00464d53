import numpy as np
import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from course_utils.kernel.errors import BadInputError
from course_utils.models.offline import minilm_dir
from course_utils.training.classifier import accuracy, check_labels, macro_f1, predict_classifier, train_classifier


def test_metrics_against_hand_counts():
    gold, pred = [2, 1, 0, 2, 1], [2, 0, 0, 2, 1]
    assert accuracy(pred, gold) == pytest.approx(4 / 5)
    # F1 per class: 0 -> 2/3, 1 -> 2/3, 2 -> 1
    assert macro_f1(pred, gold, 3) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    with pytest.raises(BadInputError, match="same length"):
        accuracy([0, 1], [0])


def test_label_mismatch_is_explained():
    with pytest.raises(BadInputError, match="num_labels=2"):
        check_labels([0, 1, 2], num_labels=2)


def test_training_a_tiny_classifier_learns_a_separable_task():
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=64, num_labels=2))
    texts = ["good great fine"] * 16 + ["bad awful terrible"] * 16
    labels = [1] * 16 + [0] * 16
    res = train_classifier(model, tok, texts, labels, epochs=8, batch_size=8, lr=3e-3)
    assert res.steps == 32 and np.mean(res.losses[-4:]) < np.mean(res.losses[:4])
    assert accuracy(predict_classifier(model, tok, texts), labels) == 1.0


def test_all_frozen_is_a_clear_error():
    model = BertForSequenceClassification(BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=8, num_labels=2))
    for p in model.parameters():
        p.requires_grad = False
    with pytest.raises(BadInputError, match="frozen"):
        train_classifier(model, None, ["a b c"], [0])


def test_batches_by_length_cover_every_example_once_with_less_padding():
    """by_length (the offline sentiment model's training): the same examples, each once per epoch, with
    their labels, in batches of similar length; the plain path keeps its seeded shuffle."""
    from transformers import AutoTokenizer

    from course_utils.training.classifier import _batches
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    rng = np.random.default_rng(0)
    texts = [" ".join(["word"] * int(n)) for n in rng.integers(1, 40, size=300)]   # 1 to 39 words
    labels = [len(t.split()) % 3 for t in texts]

    def run(by_length):
        seen, padded = [], 0
        for b in _batches(tok, texts, labels, 32, 64, True, 5, by_length):
            mask = b["attention_mask"]
            padded += int(mask.numel() - mask.sum())
            for ids, m, label in zip(b["input_ids"], mask, b["labels"]):
                words = int(m.sum()) - 2                                   # [CLS] ... [SEP]
                seen.append(words)
                assert int(label) == words % 3                               # each text keeps its label
        return seen, padded

    plain, plain_pad = run(False)
    grouped, grouped_pad = run(True)
    assert sorted(grouped) == sorted(plain) == sorted(len(t.split()) for t in texts)
    assert grouped_pad < plain_pad / 3
    order = np.arange(300)
    np.random.default_rng(5).shuffle(order)                                   # the plain path, as before
    assert plain == [len(texts[i].split()) for i in order]


def test_the_plain_loop_is_forward_backward_and_torchs_fused_adamw_step():
    """train_classifier = for each batch: forward with labels, backward, AdamW step (torch's fused kernel
    on a CPU, as transformers' Trainer uses by default), zero the gradients: the same weights bit for bit
    as that loop written out; the unfused kernel differs only in the last bits."""
    from transformers import AutoTokenizer

    from course_utils.training.classifier import _batches
    tok = AutoTokenizer.from_pretrained(minilm_dir())
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=3)
    texts = ["good great fine", "bad awful", "it is a table", "so happy today", "I hate it", "meh"] * 3
    labels = [2, 0, 1, 2, 0, 1] * 3

    def fresh():
        torch.manual_seed(0)
        return BertForSequenceClassification(config)

    def by_hand(fused):
        model = fresh()
        opt = torch.optim.AdamW(model.parameters(), lr=3e-3, fused=fused)
        model.train()
        for epoch in range(2):
            for batch in _batches(tok, texts, labels, 4, 64, True, 0 + epoch):
                model(**batch).loss.backward()
                opt.step()
                opt.zero_grad()
        return torch.cat([p.detach().flatten() for p in model.parameters()])

    model = fresh()
    train_classifier(model, tok, texts, labels, epochs=2, batch_size=4, lr=3e-3)
    ours = torch.cat([p.detach().flatten() for p in model.parameters()])
    assert torch.equal(ours, by_hand(fused=True))
    torch.testing.assert_close(ours, by_hand(fused=False), rtol=0, atol=1e-4)   # the same AdamW, other rounding
