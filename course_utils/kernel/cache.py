"""Where course_utils keeps what it builds once (converted models, trained models, data).

Writes are atomic: build into a temporary folder next to the target, then rename it into
place, so two kernels starting at once never see a half-written cache. A file lock per entry
(filelock, on every OS) makes a second kernel wait for the first one's build instead of repeating it.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

CACHE_ENV = "COURSE_CACHE_DIR"
MARKER = "COMPLETE.json"  # written last: its presence means the folder is whole


def cache_root() -> Path:
    root = os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "genai-course"
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return root


def is_complete(folder: Path) -> bool:
    return (Path(folder) / MARKER).is_file()


def _build_lock(name: str):
    """An exclusive lock per cache entry, on every OS (filelock comes with huggingface_hub)."""
    from filelock import FileLock

    return FileLock(str(cache_root() / f".{name}.lock"))


def build_once(name: str, build: Callable[[Path], dict], *, validate: Callable[[Path], bool] | None = None) -> Path:
    """Return cache_root()/name, building it with `build(tmp_folder)` if absent or broken.

    `build` writes files into the folder it is given and returns a small dict of facts
    that is stored in the marker file. `validate(folder)` may reject a cache (e.g. a
    truncated weights file); a rejected or incomplete cache is deleted and rebuilt.
    """
    target = cache_root() / name
    if is_complete(target) and (validate is None or validate(target)):
        return target
    with _build_lock(name):
        return _build(name, target, build, validate)


def _build(name, target, build, validate) -> Path:
    if is_complete(target) and (validate is None or validate(target)):
        return target  # built by another process while we waited for the lock
    if target.exists():
        shutil.rmtree(target, ignore_errors=True)  # corrupted or half-written: rebuild
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=cache_root()))
    try:
        info = build(tmp) or {}
        (tmp / MARKER).write_text(json.dumps(info, indent=1, default=str))
        try:
            os.rename(tmp, target)
        except OSError:
            if not is_complete(target):  # someone else's rename won only if theirs is whole
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def read_info(folder: Path) -> dict:
    return json.loads((Path(folder) / MARKER).read_text())
