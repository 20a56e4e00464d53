"""course_utils.data.corpora: packaged public-domain texts load clean, and the split is deterministic."""
import json
import re

import pytest

from course_utils.data.corpora import load_corpus, strip_gutenberg, train_val_split
from course_utils.kernel.errors import BadInputError
from course_utils.kernel.packages import package_dir


@pytest.mark.parametrize("name, first_words", [("kjv", "In the beginning God created"),
                                                ("shakespeare", "ALL'S WELL THAT ENDS WELL")])
def test_corpus_loads_large_ascii_text(name, first_words):
    text = load_corpus(name)
    assert len(text) > 3_000_000
    assert text.startswith(first_words)
    non_ascii = sum(ord(c) > 127 for c in text)
    assert non_ascii / len(text) < 1e-4
    assert "\r" not in text and "\n\n\n" not in text


def test_kjv_holds_every_verse_of_the_package_file():
    path = package_dir("bible") / "data" / "kjv.jsonl"
    verses = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    text = load_corpus("kjv")
    # one line per verse: as many lines as distinct citations (31,103 in this package), none lost
    assert len(text.splitlines()) == len(verses) == len({v['citation'] for v in verses}) > 31_000
    assert verses[-1]["text"].strip() in text


def test_shakespeare_has_no_licence_boilerplate_and_no_folio_duplicates():
    text = load_corpus("shakespeare")
    assert not re.search(r"project gutenberg|\bebook\b|\betext\b|copyright|licen[cs]e agreement", text, re.I)
    assert text.count("THE TRAGEDY OF HAMLET") + text.count("HAMLET, PRINCE OF DENMARK") == 1  # one copy only
    assert "To be, or not to be" in text


def test_strip_gutenberg_cuts_header_and_footer():
    raw = ("The Project Gutenberg EBook of Hamlet\nlegal words\n*** START OF THIS PROJECT GUTENBERG EBOOK HAMLET ***\n"
           "To be, or not to be\nmy pretext stays\n*** END OF THIS PROJECT GUTENBERG EBOOK HAMLET ***\nmore legal words\n")
    assert strip_gutenberg(raw) == "To be, or not to be\nmy pretext stays\n"


def test_split_is_deterministic_and_complete():
    text = "".join(f"line {i}\n" for i in range(10_000))
    train, val = train_val_split(text, 0.1)
    assert (train, val) == train_val_split(text, 0.1)
    assert sorted((train + val).splitlines()) == sorted(text.splitlines())
    assert len(val) / len(text) == pytest.approx(0.1, abs=0.02)
    val_lines = [int(s.split()[1]) for s in val.splitlines()]
    assert min(val_lines) < 2000 and max(val_lines) > 8000


def test_bad_input():
    with pytest.raises(BadInputError, match="Unknown corpus"):
        load_corpus("wikipedia")
    with pytest.raises(BadInputError, match="val_fraction"):
        train_val_split("a\nb\n", 1.5)
