"""course_utils.plots.tokens: token tables and top-k probabilities, checked against independent references."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from course_utils.plots.tokens import label_scores, plot_label_scores, plot_top_k, token_table, top_k_probs  # noqa: E402

TEXT = "Naïve café owners 😀 love tokenizers!"


@pytest.fixture(scope="module")
def wordpiece():
    from transformers import AutoTokenizer

    from course_utils.models.offline import minilm_dir
    return AutoTokenizer.from_pretrained(minilm_dir())


@pytest.fixture(scope="module")
def byte_bpe():
    """A tiny byte-level BPE (RoBERTa/GPT-2 style) trained here in a few milliseconds."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(["the cat sat on the mat", "tokenizers split text into pieces"] * 3,
                            vocab_size=280, min_frequency=2, special_tokens=["<s>", "</s>"])
    return PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer)


def test_byte_level_table_round_trips_to_the_text(byte_bpe):
    table = token_table(byte_bpe, TEXT)
    assert byte_bpe.decode(list(table["id"])) == TEXT        # bytes: nothing is lost
    assert table["id"].tolist() == byte_bpe(TEXT)["input_ids"]


def test_spans_are_the_characters_each_token_covers(wordpiece):
    table = token_table(wordpiece, TEXT)
    assert table["token"].iloc[0] == "[CLS]" and table["text"].iloc[0] == ""
    assert "[UNK]" in set(table["token"])                     # the emoji is unknown to WordPiece
    # every non-space character of the text is covered by some token's span, in order
    assert "".join(table["text"]) == TEXT.replace(" ", "")
    # the WordPiece ids decode back to the text lower-cased, accents stripped, emoji lost
    assert wordpiece.decode(list(table["id"]), skip_special_tokens=True).startswith("naive cafe owners love")


def test_top_k_agrees_with_an_independent_softmax():
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(50, generator=gen) * 3
    x = logits.numpy().astype(np.float64)
    ref = np.exp(x - x.max()) / np.exp(x - x.max()).sum()
    order = np.argsort(-ref)[:7]
    got = top_k_probs(logits, labels=[f"w{i}" for i in range(50)], k=7)
    assert [name for name, _ in got] == [f"w{i}" for i in order]
    assert np.allclose([p for _, p in got], ref[order], atol=1e-6)
    # a batch of one and an id2label dict work too; all k = everything sums to one
    full = top_k_probs(logits[None, :], labels={i: str(i) for i in range(50)}, k=50)
    assert math.isclose(sum(p for _, p in full), 1.0, rel_tol=1e-5)


def test_top_k_names_tokens_with_a_tokenizer(byte_bpe):
    vocab = len(byte_bpe)
    target = byte_bpe(" the")["input_ids"][0]
    logits = torch.zeros(vocab)
    logits[target] = 10.0
    (name, p), *_ = top_k_probs(logits, byte_bpe, k=3)
    assert name == byte_bpe.decode([target])
    assert p == pytest.approx(math.exp(10) / (math.exp(10) + vocab - 1), rel=1e-5)


@pytest.mark.parametrize("k", [0, 11, 2.5, True])
def test_bad_k_is_rejected(k):
    with pytest.raises(ValueError, match="k must be"):
        top_k_probs(torch.zeros(10), k=k)


def test_bad_shapes_and_empty_text_are_rejected(wordpiece):
    with pytest.raises(ValueError, match="one vector"):
        top_k_probs(torch.zeros(2, 5), k=1)
    with pytest.raises(ValueError, match="empty"):
        token_table(wordpiece, "  ")


def test_label_scores_table_and_plots():
    texts = ["good", "bad"]
    results = [[{"label": "positive", "score": 0.7}, {"label": "neutral", "score": 0.2}, {"label": "negative", "score": 0.1}],
               [{"label": "negative", "score": 0.6}, {"label": "positive", "score": 0.3}, {"label": "neutral", "score": 0.1}]]
    table = label_scores(texts, results, labels=["negative", "neutral", "positive"])
    assert list(table.columns) == ["text", "negative", "neutral", "positive", "label"]
    assert table["label"].tolist() == ["positive", "negative"]
    assert np.allclose(table[["negative", "neutral", "positive"]].sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="top_k=None"):
        label_scores(["good"], [{"label": "positive", "score": 0.7}])
    with pytest.raises(ValueError, match="2 texts but 1"):
        label_scores(texts, results[:1])
    fig = plot_label_scores(table)
    assert len(fig.axes[0].patches) == 6                      # 2 texts x 3 labels
    fig2 = plot_top_k([("a", 0.5), (" b", 0.3)], title="t")
    assert [t.get_text() for t in fig2.axes[0].get_yticklabels()] == ["a", "' b'"]
    plt.close("all")


def test_grouped_bars_heights_positions_and_legend_outside():
    from course_utils.kernel.errors import BadInputError
    from course_utils.plots.bars import grouped_bars

    fig = grouped_bars({"a": [0.1, 0.2, 0.3], "b": [0.4, 0.5, 0.6]}, ["x", "y", "z"], colours={"a": "red"})
    ax = fig.axes[0]
    bars = ax.patches
    assert [round(b.get_height(), 3) for b in bars] == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    assert bars[0].get_x() < bars[3].get_x() < bars[1].get_x()          # a and b side by side per category
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y", "z"]
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b"]
    fig.canvas.draw()
    box, axes_box = legend.get_window_extent(), ax.get_window_extent()
    assert box.x0 >= axes_box.x1 - 1                                     # beside the bars, not over them
    with pytest.raises(BadInputError, match="2 values for 3 categories"):
        grouped_bars({"a": [1, 2]}, ["x", "y", "z"])
    with pytest.raises(BadInputError):
        grouped_bars({}, ["x"])
