import socket
import threading

import pytest

from course_utils.models import hub
from course_utils.kernel.errors import BadInputError


def test_explicit_argument_wins_over_environment(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "online")
    m = hub.decide_mode("offline", probe=lambda: True)
    assert not m.online and "mode='offline'" in m.reason
    import os
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_environment_variable_decides_when_no_argument(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "online")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    m = hub.decide_mode(probe=lambda: False)
    assert m.online and "COURSE_MODE=online" in m.reason


def test_hub_offline_variable_means_offline_without_probing(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def probe():
        raise AssertionError("must not probe the network when HF_HUB_OFFLINE is set")

    assert not hub.decide_mode(probe=probe).online


@pytest.mark.parametrize("reachable", [True, False])
def test_auto_mode_follows_the_connectivity_probe(monkeypatch, reachable):
    monkeypatch.setenv("COURSE_MODE", "auto")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    m = hub.decide_mode(probe=lambda: reachable)
    assert m.online is reachable
    assert ("reachable" in m.reason)


def test_unknown_mode_is_a_clear_error(monkeypatch):
    with pytest.raises(BadInputError, match="not a mode"):
        hub.decide_mode("sometimes")
    monkeypatch.setenv("COURSE_MODE", "maybe")
    with pytest.raises(BadInputError, match="COURSE_MODE"):
        hub.decide_mode()


def test_decision_is_remembered_and_applied_to_an_imported_hub_library():
    import huggingface_hub.constants as constants
    hub.decide_mode("offline")
    assert constants.HF_HUB_OFFLINE is True
    assert hub.decide_mode().online is False  # remembered, no new probe


def test_probe_answers_fast_for_a_closed_port_and_true_for_a_listening_one():
    with socket.socket() as s:  # find a free port, then close it: nothing listens there
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    assert hub.hub_reachable("127.0.0.1", closed_port, timeout=1.0) is False
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        assert hub.hub_reachable("127.0.0.1", server.getsockname()[1], timeout=1.0) is True


def test_probe_gives_up_on_a_connection_that_never_answers(monkeypatch):
    # a slow DNS lookup or a silent firewall: the socket timeout alone would not bound it
    release = threading.Event()

    def never_answers(*args, **kwargs):
        release.wait(30)
        raise OSError("released")

    monkeypatch.setattr(hub.socket, "create_connection", never_answers)
    try:
        assert hub.hub_reachable("example.invalid", 443, timeout=0.1) is False   # returns, does not hang
    finally:
        release.set()


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_cached_mode_takes_the_online_path_without_downloads(monkeypatch, how):
    import huggingface_hub.constants as constants

    def probe():
        raise AssertionError("cached mode must not probe the network")

    monkeypatch.setenv("COURSE_MODE", "cached" if how == "environment" else "online")
    m = hub.decide_mode("cached" if how == "argument" else None, probe=probe)
    assert m.online and m.cache_only and not m.downloads and m.name == "cached"
    assert "local cache" in m.reason and "cached" in m.reason
    import os
    assert os.environ["HF_HUB_OFFLINE"] == "1" and constants.HF_HUB_OFFLINE is True


def test_cached_mode_resolves_hub_ids_and_says_what_to_do_when_a_repo_is_missing(monkeypatch, tmp_path):
    from course_utils.models import loading
    from course_utils.kernel.errors import OnlineOnlyError
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))       # an empty cache
    hub.decide_mode("cached")
    spec, mode, name, path = loading.resolve("text-generation")
    assert path == spec.hub_id and mode.cache_only
    import huggingface_hub.constants as constants
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(OnlineOnlyError, match="not in this machine's Hugging Face cache") as err:
        loading.load_model("text-generation", verbose=False)
    assert "COURSE_MODE=offline" in str(err.value)
