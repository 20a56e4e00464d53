"""Lesson 01's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
from course_utils.learn.exercise import check_exercise

LABELS = ["negative", "neutral", "positive"]


def macro_f1(true_labels, predicted_labels):      # the worked solution, as in the solutions edition
    f1s = []
    for label in LABELS:
        pairs = list(zip(true_labels, predicted_labels))
        tp = sum(t == label and p == label for t, p in pairs)
        fp = sum(t != label and p == label for t, p in pairs)
        fn = sum(t == label and p != label for t, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / len(f1s)


def _counts(true, pred, label):
    pairs = list(zip(true, pred))
    return (sum(t == label and p == label for t, p in pairs), sum(t != label and p == label for t, p in pairs),
            sum(t == label and p != label for t, p in pairs))


def test_the_worked_solution_passes():
    r = check_exercise("01.macro_f1", macro_f1)
    assert r.passed, r.message


def test_swapping_the_arguments_or_precision_and_recall_is_harmless():
    """F1 is symmetric in precision and recall (and so in true and predicted): nothing to diagnose."""
    assert check_exercise("01.macro_f1", lambda t, p: macro_f1(p, t)).passed


def test_accuracy_instead_of_macro_is_diagnosed():
    r = check_exercise("01.macro_f1", lambda t, p: sum(a == b for a, b in zip(t, p)) / len(t))
    assert not r.passed and "that is the accuracy" in r.message and "micro-F1" in r.message


def test_f1_as_the_plain_mean_of_precision_and_recall_is_diagnosed():
    def wrong(true, pred):
        scores = []
        for label in LABELS:
            tp, fp, fn = _counts(true, pred, label)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            scores.append((precision + recall) / 2)
        return sum(scores) / 3
    r = check_exercise("01.macro_f1", wrong)
    assert not r.passed and "harmonic mean" in r.message


def test_division_by_zero_for_a_class_never_predicted_is_diagnosed():
    def wrong(true, pred):
        f1s = []
        for label in LABELS:
            tp, fp, fn = _counts(true, pred, label)
            precision, recall = tp / (tp + fp), tp / (tp + fn)        # 0/0 when the class is never predicted
            f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        return sum(f1s) / 3
    r = check_exercise("01.macro_f1", wrong)
    assert not r.passed and "divided by zero" in r.message and "never predicted" in r.message


def test_leaving_a_never_predicted_class_out_of_the_mean_is_diagnosed():
    def wrong(true, pred):
        f1s = []
        for label in LABELS:
            tp, fp, fn = _counts(true, pred, label)
            if tp + fp == 0:
                continue                                            # skips the class: the mean is over 2
            precision, recall = tp / (tp + fp), tp / (tp + fn)
            f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        return sum(f1s) / len(f1s)
    r = check_exercise("01.macro_f1", wrong)
    assert not r.passed and "out of the mean" in r.message and "'neutral'" in r.message


def test_nan_from_numpy_division_is_diagnosed():
    import numpy as np

    def wrong(true, pred):
        with np.errstate(all="ignore"):
            f1s = []
            for label in LABELS:
                tp, fp, fn = (np.float64(c) for c in _counts(true, pred, label))
                precision, recall = tp / (tp + fp), tp / (tp + fn)
                f1s.append(2 * precision * recall / (precision + recall))
            return float(np.mean(f1s))
    r = check_exercise("01.macro_f1", wrong)
    assert not r.passed and "returned nan" in r.message


def test_a_stub_is_not_written_yet():
    def stub(true_labels, predicted_labels):
        raise NotImplementedError
    assert "not written yet" in check_exercise("01.macro_f1", stub).message


def test_the_reference_is_scikit_learn():
    from sklearn.metrics import f1_score

    from course_utils.learn.lessons.l01 import _CASES
    for _, true, pred in _CASES:
        assert abs(macro_f1(true, pred) - f1_score(true, pred, average="macro", labels=LABELS, zero_division=0)) < 1e-12
