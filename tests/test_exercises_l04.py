"""Lesson 04's checked exercise: the checker accepts the worked solution and diagnoses typical mistakes."""
import torch

from course_utils.learn.exercise import check_exercise


def lora_forward(x, W, A, B, alpha, r):       # the worked solution, as in the solutions edition
    return x @ W.T + (alpha / r) * (x @ A.T @ B.T)


def test_the_worked_solution_passes():
    r = check_exercise("04.lora", lora_forward)
    assert r.passed, r.message


def test_the_checker_leaves_the_global_random_stream_alone():
    before = torch.random.get_rng_state()
    check_exercise("04.lora", lora_forward)
    assert torch.equal(before, torch.random.get_rng_state())


def test_a_missing_scale_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T + x @ A.T @ B.T)
    assert not r.passed and "the correction is not scaled" in r.message


def test_an_inverted_scale_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T + (r / alpha) * (x @ A.T @ B.T))
    assert not r.passed and "upside down" in r.message


def test_forgetting_the_frozen_weight_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: (alpha / r) * (x @ A.T @ B.T))
    assert not r.passed and "only the LoRA correction" in r.message


def test_swapping_A_and_B_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T + (alpha / r) * (x @ B.T @ A.T))
    assert not r.passed and "a matrix product failed" in r.message and "x goes through A first" in r.message


def test_a_transposed_update_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T + (alpha / r) * (x @ (B @ A)))
    # on the rectangular cases this product cannot even be formed: the shapes are explained
    assert not r.passed and "x goes through A first" in r.message

    def square_only(x, W, A, B, alpha, r):           # right where the shapes force it, transposed where they don't
        delta = B @ A
        return x @ W.T + (alpha / r) * (x @ (delta if W.shape[0] == W.shape[1] else delta.T))
    r = check_exercise("04.lora", square_only)
    assert not r.passed and "the LoRA update is transposed" in r.message


def test_torch_mm_on_a_batch_of_sequences_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: torch.mm(x, W.T) + (alpha / r) * torch.mm(torch.mm(x, A.T), B.T))
    assert not r.passed and "works on 2-D x" in r.message


def test_updating_W_in_place_is_diagnosed():
    def wrong(x, W, A, B, alpha, r):
        W += (alpha / r) * (B @ A)                    # merges the update into the frozen weight passed in
        return x @ W.T
    r = check_exercise("04.lora", wrong)
    assert not r.passed and "changed one of the tensors passed in" in r.message


def test_a_stub_is_not_written_yet():
    def stub(x, W, A, B, alpha, r):
        raise NotImplementedError
    assert "not written yet" in check_exercise("04.lora", stub).message


def test_a_fixed_scale_is_diagnosed():
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T + 2 * (x @ A.T @ B.T))   # add_lora's alpha = 2r
    assert not r.passed and "Compute the scale from alpha and r" in r.message
    r = check_exercise("04.lora", lambda x, W, A, B, alpha, r: x @ W.T)
    assert not r.passed and "the frozen layer x Wᵀ alone" in r.message
