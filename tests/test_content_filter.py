"""The content filter: what it must catch, what it must let through, and its known mistakes."""
import pytest

from course_utils.safety import content_filter as cf
from course_utils.kernel.errors import BadInputError, OnlineOnlyError

# (text, a category it must be flagged with) -- written by hand
MUST_CATCH = [
    ("You are a fucking idiot", "profanity"),
    ("What a piece of shit", "profanity"),
    ("Shut up, you bitch", "profanity"),
    ("I will kill you tomorrow", "violence"),
    ("We're going to hurt your family", "violence"),
    ("you are dead when I find you", "violence"),
    ("Here is how to make a bomb at home", "violence"),
    ("They planned a massacre", "violence"),
    ("I want to kill myself", "self-harm"),
    ("thinking about suicide again", "self-harm"),
    ("I might end my life", "self-harm"),
    ("Email me at kim.minsu@example.co.kr", "personal-data"),
    ("Call me on 010-1234-5678", "personal-data"),
    ("My number is +1 415 555 0132", "personal-data"),
    ("office: (02) 555-1234", "personal-data"),
    ("card 4111 1111 1111 1111, exp 12/29", "personal-data"),
    ("SSN 123-45-6789", "personal-data"),
    ("주민번호 900101-1234567", "personal-data"),
]

# Benign texts (hand-labelled as fine). The filter wrongly flags some of them: the word
# lists match word *starts*, so stems like "spic", "dick", "cock", "kill", "shoot", "bomb"
# also hit innocent words. These known false positives are asserted below, so a change to
# the lists that alters them is noticed and the notebook's numbers updated.
BENIGN = [
    "Scunthorpe United won on Saturday",
    "The class assignment is due on Friday",
    "My therapist recommended a walk every morning",
    "Charles Dickens wrote Great Expectations",
    "I love spicy food",
    "The pilot walked into the cockpit",
    "Use kill -9 to stop the process",
    "Let's shoot a short video for the project",
    "The comedy bombed at the box office",
    "The printer is out of paper again",
    "She assessed the risk carefully",
    "Please pass the salt",
    "The essay cites Shakespeare's Hamlet",
    "Call the front desk if you need anything",
    "The meeting is at 10:30 in room 204",
    "Born on 1990-05-12 in Seoul",
    "ISBN 978-0-14-044913-6",
    "The weather is lovely today",
    "He cut the cake into eight pieces",
    "The hedge needs a trim",
]
KNOWN_FALSE_POSITIVES = {
    "Charles Dickens wrote Great Expectations": "profanity",
    "I love spicy food": "profanity",
    "The pilot walked into the cockpit": "profanity",
    "Use kill -9 to stop the process": "violence",
    "Let's shoot a short video for the project": "violence",
    "The comedy bombed at the box office": "violence",
}


@pytest.mark.parametrize("text,category", MUST_CATCH)
def test_catches_harmful_text(text, category):
    res = cf.check(text)
    assert not res.allowed
    assert category in res.categories
    assert category in res.reason
    assert all(text[m.start:m.end] == m.text for m in res.matches)


def test_benign_texts_and_known_false_positives():
    flagged = {t: cf.check(t).categories for t in BENIGN if not cf.check(t).allowed}
    assert set(flagged) == set(KNOWN_FALSE_POSITIVES)
    for text, cat in KNOWN_FALSE_POSITIVES.items():
        assert flagged[text] == [cat]
    # the false-positive rate the notebook reports
    assert len(flagged) / len(BENIGN) == pytest.approx(6 / 20)


def test_word_boundaries_avoid_the_scunthorpe_problem():
    naive = cf.ContentFilter(word_boundaries=False)
    assert not naive.check("Scunthorpe United won").allowed   # the stem hides inside the name
    assert cf.check("Scunthorpe United won").allowed


def test_mask_replaces_every_match_and_block_explains():
    text = "Mail kim@example.com, you shit"
    masked = cf.apply(text, mode="mask")
    assert masked.text == "Mail [personal-data], you [profanity]"
    assert not masked.allowed
    blocked = cf.apply(text, mode="block")
    assert blocked.text.startswith("[blocked by the content filter: flagged ")
    assert "kim@example.com" in blocked.text and "personal-data" in blocked.text
    fine = cf.apply("A quiet afternoon", mode="mask")
    assert fine.allowed and fine.text == "A quiet afternoon" and str(fine) == "A quiet afternoon"


def test_overlapping_matches_are_masked_once():
    masked = cf.apply("I want to kill myself", mode="mask").text
    assert masked.count("[") == 1 and "kill" not in masked


def test_classifier_hook_adds_its_verdict():
    calls = []

    def fake(text):
        calls.append(text)
        return {"toxic": 0.9 if "awful" in text else 0.1, "threat": 0.2}

    f = cf.ContentFilter(classifier=fake, threshold=0.5)
    res = f.check("you are awful")
    assert res.categories == ["classifier:toxic"] and res.scores["toxic"] == 0.9
    assert "0.90" in res.reason
    assert f.apply("you are awful", mode="mask").text.startswith("[blocked")  # no span to mask
    assert f.check("you are lovely").allowed
    assert calls == ["you are awful", "you are awful", "you are lovely"]


def test_configure_classifier_changes_the_default_filter():
    try:
        cf.configure_classifier(lambda t: {"toxic": 1.0})
        assert cf.check("hello").categories == ["classifier:toxic"]
    finally:
        cf.configure_classifier(None)
    assert cf.check("hello").allowed


def test_classifier_from_pipeline_reads_all_labels():
    def pipe(text, top_k=None, truncation=True):
        return [[{"label": "toxic", "score": 0.7}, {"label": "insult", "score": 0.2}]]
    assert cf.classifier_from_pipeline(pipe)("x") == {"toxic": 0.7, "insult": 0.2}
    assert cf.classifier_from_pipeline(pipe, labels=("toxic",))("x") == {"toxic": 0.7}


def test_online_classifier_refuses_offline(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "offline")
    with pytest.raises(OnlineOnlyError, match="word and pattern lists"):
        cf.load_online_classifier()


def test_bad_input():
    with pytest.raises(BadInputError, match="string"):
        cf.check(None)
    with pytest.raises(BadInputError, match="'block' or 'mask'"):
        cf.apply("text", mode="hide")
    with pytest.raises(BadInputError):
        cf.ContentFilter(threshold=0)
    with pytest.raises(BadInputError):
        cf.configure_classifier("not a function")
