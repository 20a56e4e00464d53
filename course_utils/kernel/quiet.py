"""Quiet, useful logging for notebooks: warnings that teach nothing are hidden.

Progress bars of our own training loops stay; library chatter (download bars, 'Some weights
were not initialized' for a head we add on purpose, deprecation notices) goes.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import warnings

_NOISY_WARNINGS = [
    r".*`resume_download` is deprecated.*",
    r".*TypedStorage is deprecated.*",
    r".*does not have many workers.*",
    r".*pin_memory.*",
    r".*Some weights of .* were not initialized.*",
    r".*Using a pipeline without specifying a model.*",
    r".*generation flags are not valid.*",
]


def quiet_libraries() -> None:
    """Lower transformers / datasets logging to errors and silence known harmless warnings."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # avoids the fork warning
    for pattern in _NOISY_WARNINGS:
        warnings.filterwarnings("ignore", message=pattern)
    for name in ("transformers", "datasets", "peft", "accelerate", "huggingface_hub", "music21"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import transformers
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except ImportError:
        pass


@contextlib.contextmanager
def silenced():
    """Swallow stdout/stderr of a noisy library call (e.g. the GGUF loader's progress bar)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        yield
