import multiprocessing as mp
import time
from pathlib import Path

import pytest

from course_utils.kernel import cache
from course_utils.models.offline import _weights_ok


@pytest.fixture(autouse=True)
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    return tmp_path


def _slow_build(out: Path) -> dict:
    with open(out.parent / "builds.log", "a") as log:  # count how many processes built
        log.write("built\n")
    for i in range(5):  # several files written over time: a reader must never see half of them
        (out / f"part{i}.txt").write_text(str(i) * 1000)
        time.sleep(0.05)
    return {"parts": 5}


def test_builds_once_then_reuses():
    calls = []

    def build(out):
        calls.append(1)
        (out / "x").write_text("1")
        return {"n": 1}

    a = cache.build_once("thing", build)
    b = cache.build_once("thing", build)
    assert a == b and len(calls) == 1
    assert cache.read_info(a) == {"n": 1}


def test_incomplete_cache_is_rebuilt(tmp_cache):
    half = tmp_cache / "thing"
    half.mkdir()
    (half / "part0.txt").write_text("left by a crash")  # no completion marker
    folder = cache.build_once("thing", _slow_build)
    assert cache.is_complete(folder) and len(list(folder.glob("part*.txt"))) == 5


def test_cache_rejected_by_validation_is_rebuilt():
    cache.build_once("w", lambda out: (out / "model.safetensors").write_bytes(b"garbage") and {})
    calls = []

    def good(out):
        calls.append(1)
        import torch
        from safetensors.torch import save_file
        save_file({"w": torch.ones(2)}, str(out / "model.safetensors"))
        return {}

    folder = cache.build_once("w", good, validate=_weights_ok)
    assert calls == [1] and _weights_ok(folder)


def test_truncated_weights_file_is_detected(tmp_path):
    import torch
    from safetensors.torch import save_file
    save_file({"w": torch.ones(1000)}, str(tmp_path / "model.safetensors"))
    assert _weights_ok(tmp_path)
    data = (tmp_path / "model.safetensors").read_bytes()
    (tmp_path / "model.safetensors").write_bytes(data[: len(data) // 2])
    assert not _weights_ok(tmp_path)


def _worker(root, q):
    import os
    os.environ[cache.CACHE_ENV] = root
    folder = cache.build_once("shared", _slow_build)
    q.put(sorted(p.name for p in folder.iterdir()))


def test_concurrent_first_runs_leave_one_whole_cache(tmp_cache):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(str(tmp_cache), q)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [q.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    expected = sorted([f"part{i}.txt" for i in range(5)] + [cache.MARKER])
    assert all(r == expected for r in results)
    assert not [p for p in tmp_cache.iterdir() if p.is_dir() and p.name.startswith(".shared.")]  # no temp left
    assert (tmp_cache / "builds.log").read_text().count("built") == 1  # the others waited for it
