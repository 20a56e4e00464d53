import sys

import pytest
import torch

from course_utils.kernel import device as dev
from course_utils.kernel.errors import BadInputError, GPUNotAvailableError


@pytest.fixture
def no_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(dev, "_mps_available", lambda: False)


@pytest.fixture
def fake_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a: "Tesla T4")
    # a real T4 answers True when emulation counts (the default) and False without it
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: including_emulation)


def test_cpu_when_no_gpu_with_a_hint(no_gpu):
    c = dev.get_device()
    assert c.device.type == "cpu" and c.dtype == torch.float32
    assert "no GPU found" in c.reason


def test_colab_hint_names_the_runtime_menu(no_gpu, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert dev.in_colab()
    assert "Runtime" in dev.get_device().reason


def test_cuda_preferred_over_mps(fake_cuda, monkeypatch):
    monkeypatch.setattr(dev, "_mps_available", lambda: True)
    c = dev.get_device()
    assert c.device.type == "cuda" and "Tesla T4" in c.reason
    assert c.dtype == torch.float16  # T4: no bf16


def test_bf16_on_gpus_that_support_it(fake_cuda, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert dev.get_device().dtype == torch.bfloat16


def test_mps_when_no_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(dev, "_mps_available", lambda: True)
    c = dev.get_device()
    assert c.device.type == "mps" and c.dtype == torch.float16


def test_cpu_can_be_forced_even_with_a_gpu(fake_cuda):
    assert dev.get_device("cpu").device.type == "cpu"


@pytest.mark.parametrize("asked", ["cuda", "gpu", "mps"])
def test_gpu_asked_for_but_absent_is_a_clear_error(no_gpu, asked):
    with pytest.raises(GPUNotAvailableError, match="asked for but none is available"):
        dev.get_device(asked)


def test_unknown_device_name(no_gpu):
    with pytest.raises(BadInputError, match="not a device"):
        dev.get_device("tpu")


def test_try_gpu_is_the_device_of_get_device(no_gpu):
    assert dev.try_gpu() == torch.device("cpu")


def test_t4_gets_fp16_not_emulated_bf16(fake_cuda):
    assert dev.get_device().dtype == torch.float16


@pytest.mark.parametrize("name,dtype", [("bfloat16", torch.bfloat16), ("float16", torch.float16),
                                        ("float32", torch.float32)])
def test_course_dtype_overrides_the_number_type_and_says_so(no_gpu, monkeypatch, name, dtype):
    monkeypatch.setenv("COURSE_DTYPE", name)
    for prefer in (None, "cpu"):
        choice = dev.get_device(prefer)
        assert choice.device.type == "cpu" and choice.dtype == dtype and "COURSE_DTYPE" in choice.reason


def test_course_dtype_unknown_is_a_clear_error(no_gpu, monkeypatch):
    monkeypatch.setenv("COURSE_DTYPE", "half-ish")
    with pytest.raises(BadInputError, match="COURSE_DTYPE='half-ish' is not a number type"):
        dev.get_device()


def test_one_cpu_thread_as_context_and_decorator_restores_the_thread_count():
    before = torch.get_num_threads()
    with dev.one_cpu_thread("cpu"):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before

    @dev.one_cpu_thread()
    def inside():
        return torch.get_num_threads()

    assert inside() == 1 and inside() == 1 and torch.get_num_threads() == before
    with dev.one_cpu_thread("meta"):                 # not the CPU: left alone
        assert torch.get_num_threads() == before
