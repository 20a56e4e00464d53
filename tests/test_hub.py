import socket
import time

import pytest

from course_utils import hub
from course_utils.errors import BadInputError


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
    t0 = time.perf_counter()
    assert hub.hub_reachable("127.0.0.1", closed_port, timeout=1.0) is False
    assert time.perf_counter() - t0 < 1.6
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        assert hub.hub_reachable("127.0.0.1", server.getsockname()[1], timeout=1.0) is True
