"""Decide, quickly and explicitly, whether this session may use the Hugging Face Hub.

Why this matters: without network, `from_pretrained("org/name")` does not fail fast; it
retries each file with back-off (minutes per model). So the decision is taken once, before
`transformers` is imported, and written into `HF_HUB_OFFLINE` where the libraries read it.

Precedence (first that applies wins):
1. the `mode=` argument of `decide_mode` ("online" / "offline" / "auto" / "cached");
2. the environment variable `COURSE_MODE` (same values);
3. `HF_HUB_OFFLINE=1` or `TRANSFORMERS_OFFLINE=1` already set -> offline;
4. a TCP connection to huggingface.co:443 with a short timeout.

"cached" is online without the network: lessons take their Hub path (the real checkpoints),
read only from this machine's Hugging Face cache, filled earlier on a connected machine (or, in
the course's tests, a copy of the real repos' file sets with tiny weights). Nothing downloads.
"""
from __future__ import annotations

import os
import socket
import sys
import threading
from dataclasses import dataclass

from course_utils.kernel.errors import BadInputError

HUB_HOST = "huggingface.co"
MODES = ("auto", "online", "offline", "cached")
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class HubMode:
    online: bool               # lessons take their Hub path (Hub checkpoints)
    reason: str
    cache_only: bool = False   # ... read only from the local Hugging Face cache ("cached")

    @property
    def downloads(self) -> bool:
        """May the libraries reach the Hub? (False offline and in "cached".)"""
        return self.online and not self.cache_only

    @property
    def name(self) -> str:
        return "cached" if self.cache_only else "online" if self.online else "offline"

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


_decided: HubMode | None = None


def hub_reachable(host: str = HUB_HOST, port: int = 443, timeout: float = 2.0) -> bool:
    """True if a TCP connection to the Hub opens within `timeout` seconds.

    The connect runs in a thread joined with a timeout, because the socket timeout does not
    bound a slow DNS lookup.
    """
    result = {"ok": False}

    def _try():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result["ok"] = True
        except OSError:
            pass

    t = threading.Thread(target=_try, daemon=True)
    t.start()
    t.join(timeout + 0.5)
    return result["ok"]


def _check_mode(mode: str | None, source: str) -> str | None:
    if mode is None or mode == "":
        return None
    m = str(mode).strip().lower()
    if m not in MODES:
        raise BadInputError(
            f"{source}={mode!r} is not a mode. Use one of {', '.join(MODES)}: "
            "'offline' uses only models installed from the package registry, "
            "'online' downloads from the Hugging Face Hub, 'auto' checks the network, "
            "'cached' runs the online models from this machine's Hugging Face cache without downloading."
        )
    return m


def _apply_offline(offline: bool) -> None:
    """Tell huggingface_hub / transformers, including when they are already imported."""
    if offline:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
    else:
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
            if os.environ.get(var, "").lower() in _TRUE:
                os.environ[var] = "0"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:  # already imported: the env var alone is read too late
        constants.HF_HUB_OFFLINE = offline


def decide_mode(mode: str | None = None, *, refresh: bool = False,
                probe=hub_reachable) -> HubMode:
    """Return the session's HubMode and apply it (sets HF_HUB_OFFLINE when offline).

    Call it before importing transformers; every course_utils loader calls it for you.
    The first decision is remembered; pass `mode=` or `refresh=True` to change it.
    """
    global _decided
    explicit = _check_mode(mode, "mode")
    if _decided is not None and explicit is None and not refresh:
        return _decided

    env_mode = _check_mode(os.environ.get("COURSE_MODE"), "COURSE_MODE")
    if explicit == "cached" or (explicit is None and env_mode == "cached"):
        how = "mode='cached'" if explicit else "COURSE_MODE=cached"
        result = HubMode(True, f"{how}: Hub models from the local cache, no downloads", cache_only=True)
    elif explicit in ("online", "offline"):
        result = HubMode(explicit == "online", f"asked for with mode={explicit!r}")
    elif explicit is None and env_mode in ("online", "offline"):
        result = HubMode(env_mode == "online", f"COURSE_MODE={env_mode}")
    elif any(os.environ.get(v, "").lower() in _TRUE for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")):
        result = HubMode(False, "HF_HUB_OFFLINE=1 is set")
    elif probe():
        result = HubMode(True, f"{HUB_HOST} is reachable")
    else:
        result = HubMode(False, f"{HUB_HOST} is unreachable")
    _apply_offline(not result.downloads)
    _decided = result
    return result


def current_mode() -> HubMode:
    """The decided mode (deciding it now if nobody has yet)."""
    return _decided if _decided is not None else decide_mode()


def reset_mode() -> None:
    """Forget the decision (for tests and for the setup notebook's demonstration)."""
    global _decided
    _decided = None
