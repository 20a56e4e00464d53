"""Shared test set-up: offline by default, quiet libraries, a fresh Hub decision per test."""
import os
import sys

os.environ.setdefault("COURSE_MODE", "offline")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import huggingface_hub.constants  # noqa: E402,F401  (imported now, so each test's change to it is undone)
import pytest  # noqa: E402

from course_utils.models import hub  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_hub_decision():
    """Each test decides online/offline itself; restore the env and the decision afterwards."""
    saved = {k: os.environ.get(k) for k in ("COURSE_MODE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    constants = sys.modules.get("huggingface_hub.constants")   # set by hub._apply_offline too
    saved_constant = getattr(constants, "HF_HUB_OFFLINE", None)
    hub.reset_mode()
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    if constants is not None:
        constants.HF_HUB_OFFLINE = saved_constant
    hub.reset_mode()


def pytest_collection_modifyitems(config, items):
    """The online-path notebook runs take minutes: they run only when asked for by marker."""
    if "online_cache" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="the notebooks' online path runs with -m online_cache (CI runs it)")
    for item in items:
        if "online_cache" in item.keywords:
            item.add_marker(skip)
