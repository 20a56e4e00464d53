"""Helpers for the workbook "Transformers and Generative AI, week by week".

Import is light (no transformers): the Hub online/offline decision must be taken before
transformers is imported, and every loader here takes it for you.
"""
from course_utils.models.catalog import CATALOG, get_role
from course_utils.kernel.device import DeviceChoice, get_device, in_colab, pick_dtype, try_gpu
from course_utils.kernel.errors import (BadInputError, CourseError, GPUNotAvailableError,
                                        OfflineModelMissingError, OnlineOnlyError, UnknownRoleError)
from course_utils.models.hub import current_mode, decide_mode, hub_reachable
from course_utils.kernel.checks import check_text
from course_utils.models.loading import (LoadedModel, load_model, load_pipeline, resolve, tokenizer_kwargs,
                                         weights_kwargs)
from course_utils.kernel.quiet import quiet_libraries
from course_utils.kernel.claims import ClaimFailedError, claim, expect
from course_utils.kernel.seed import lesson_seed, set_seed

__all__ = [
    "CATALOG", "get_role", "DeviceChoice", "get_device", "in_colab", "pick_dtype", "try_gpu",
    "BadInputError", "CourseError", "GPUNotAvailableError", "OfflineModelMissingError",
    "OnlineOnlyError", "UnknownRoleError", "current_mode", "decide_mode", "hub_reachable",
    "LoadedModel", "check_text", "load_model", "load_pipeline", "resolve", "tokenizer_kwargs",
    "weights_kwargs", "quiet_libraries", "set_seed",
    "lesson_seed", "claim", "expect", "ClaimFailedError",
    "setup_lesson",
]

__version__ = "0.1.0"


def setup_lesson(lesson: str | None = None, *, seed: int | None = None, mode: str | None = None,
                 device: str | None = None, language: str | None = None):
    """One call at the top of every notebook: mode, device, seed, quiet logs, the language of the
    workbook's messages ("ko" in the Korean edition); prints a short report."""
    from course_utils.lesson import setup_lesson as _setup
    return _setup(lesson, seed=seed, mode=mode, device=device, language=language)
