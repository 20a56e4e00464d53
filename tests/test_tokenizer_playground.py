"""Tokenizer comparison (plots.tokens) and its playground widget: pieces, kinds, counts, errors."""
import pytest

from course_utils.kernel.errors import BadInputError
from course_utils.plots.tokens import chars_per_token, compare_tokenizers, tokenizer_kind
from course_utils.training import lm
from course_utils.widgets.output import output_text
from course_utils.widgets.tokens import tokenizer_playground

ENGLISH = "In the beginning God created the heaven and the earth.\n" * 30
KOREAN = "태초에 하나님이 천지를 창조하시니라\n" * 30


@pytest.fixture(scope="module")
def english_bpe():
    """Byte-level BPE that has never seen Korean: every Hangul syllable is 3 byte tokens."""
    return lm.train_bpe_tokenizer(ENGLISH, vocab_size=300)


@pytest.fixture(scope="module")
def korean_bpe():
    """Byte-level BPE trained on Korean: its merges make whole syllables and words."""
    return lm.train_bpe_tokenizer(KOREAN, vocab_size=300)


@pytest.fixture(scope="module")
def wordpiece():
    from transformers import AutoTokenizer
    from course_utils.models.offline import minilm_dir
    return AutoTokenizer.from_pretrained(minilm_dir())


def ids(tok, text):
    return tok(text, add_special_tokens=False)["input_ids"]


def test_kind_is_read_from_the_tokenizer_not_its_name(english_bpe, wordpiece):
    table = compare_tokenizers("the earth", {"WordPiece": english_bpe, "BPE (byte-level)": wordpiece})
    assert table["kind"].tolist() == ["BPE (byte-level)", "WordPiece"]
    assert tokenizer_kind(english_bpe) == "BPE (byte-level)"


def test_counts_are_the_tokenizers_own_without_special_tokens(english_bpe, wordpiece):
    text = "And God said, Let there be light."
    table = compare_tokenizers(text, {"bpe": english_bpe, "wp": wordpiece}).set_index("tokenizer")
    for name, tok in (("bpe", english_bpe), ("wp", wordpiece)):
        n = len(ids(tok, text))
        assert table.loc[name, "tokens"] == n == len(table.loc[name, "pieces"])
        assert table.loc[name, "chars per token"] == pytest.approx(len(text) / n)
    assert len(wordpiece(text)["input_ids"]) == table.loc["wp", "tokens"] + 2   # [CLS] and [SEP] left out


def test_byte_level_pieces_show_korean_as_korean_and_spaces_as_marks(korean_bpe):
    text = "태초에 하나님이 천지를"
    pieces = compare_tokenizers(text, {"ko": korean_bpe})["pieces"][0]
    assert "".join(pieces) == text.replace(" ", "␣")       # whole syllables, nothing garbled
    assert any(p.startswith("␣") and len(p) > 1 for p in pieces)   # a word that carries its space


def test_a_character_split_into_bytes_is_marked_piece_by_piece(english_bpe):
    pieces = compare_tokenizers("the 안", {"en": english_bpe})["pieces"][0]
    assert pieces[-3:] == ["안(1/3)", "안(2/3)", "안(3/3)"]   # 안 is 3 UTF-8 bytes, no merge knows them
    assert "".join(pieces[:-3]) in ("the␣", "the")
    assert compare_tokenizers("the 안", {"en": english_bpe})["unknown"][0] == 0   # byte-level: nothing unknown


def test_wordpiece_keeps_hashes_and_counts_unknown(wordpiece):
    table = compare_tokenizers("tokenization ☕", {"wp": wordpiece})
    pieces = table["pieces"][0]
    assert pieces == wordpiece.convert_ids_to_tokens(ids(wordpiece, "tokenization ☕"))
    assert any(p.startswith("##") for p in pieces) and pieces[-1] == "[UNK]"
    assert table["unknown"][0] == 1


def test_chars_per_token_over_several_texts(english_bpe, wordpiece):
    texts = ["In the beginning", "God created the heaven and the earth."]
    for tok in (english_bpe, wordpiece):
        expected = sum(map(len, texts)) / sum(len(ids(tok, t)) for t in texts)
        assert chars_per_token(tok, texts) == pytest.approx(expected)
        assert chars_per_token(tok, texts[0]) == pytest.approx(len(texts[0]) / len(ids(tok, texts[0])))
    # the English-trained BPE packs English far better than Korean it has never seen
    assert chars_per_token(english_bpe, "the heaven and the earth") > 2 * chars_per_token(english_bpe, "하나님이 천지를")


@pytest.mark.parametrize("call, words", [
    (lambda t: compare_tokenizers("   ", {"t": t}), "empty"),
    (lambda t: compare_tokenizers("text", {}), "at least one"),
    (lambda t: compare_tokenizers("text", {"t": object()}), "fast tokenizer"),
    (lambda t: chars_per_token(t, []), "no texts"),
    (lambda t: chars_per_token(t, ["fine", ""]), "empty"),
])
def test_bad_input_is_explained(english_bpe, call, words):
    with pytest.raises(BadInputError, match=words):
        call(english_bpe)


def test_playground_shows_each_tokenizer_and_follows_the_text_box(english_bpe, wordpiece):
    w = tokenizer_playground({"KJV BPE": english_bpe, "MiniLM": wordpiece}, text="the earth")
    assert w.controls["text"].continuous_update is False
    first = output_text(w.out)
    assert "KJV BPE — BPE (byte-level)" in first and "MiniLM — WordPiece" in first
    w.controls["text"].value = "tokenization"
    text = output_text(w.out)
    n = len(ids(wordpiece, "tokenization"))
    assert text != first and f"MiniLM — WordPiece: {n} tokens" in text
    assert " | ".join(wordpiece.convert_ids_to_tokens(ids(wordpiece, "tokenization"))) in text
    w.controls["text"].value = "  "
    shown = output_text(w.out)
    assert shown.startswith("⚠") and "empty" in shown and "Traceback" not in shown


def test_smollm2_is_byte_level_bpe_with_visible_spaces():
    from transformers import AutoTokenizer
    from course_utils.models.offline import smollm2_dir
    tok = AutoTokenizer.from_pretrained(smollm2_dir())
    row = compare_tokenizers("Hello world", {"SmolLM2": tok}).iloc[0]
    assert row["kind"] == "BPE (byte-level)"
    assert row["pieces"] == ["Hello", "␣world"] and row["unknown"] == 0
    # SmolLM2 names <|endoftext|> its unk_token, but byte-level BPE has nothing unknown: not counted
    assert tok.unk_token == "<|endoftext|>"
    row = compare_tokenizers("the end<|endoftext|>", {"SmolLM2": tok}).iloc[0]
    assert row["pieces"][-1] == "<|endoftext|>" and row["unknown"] == 0
