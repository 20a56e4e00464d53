"""What a lesson runs on: the one-line-per-fact report printed by every notebook's setup cell."""
from __future__ import annotations

import platform

from course_utils.models.catalog import CATALOG
from course_utils.kernel.device import device_memory_gb, get_device, in_colab
from course_utils.models.hub import decide_mode
from course_utils.kernel.quiet import quiet_libraries
from course_utils.kernel.claims import set_context
from course_utils.kernel.seed import set_lesson_seed
from course_utils.kernel.i18n import set_language


def models_for_lesson(lesson: str, online: bool) -> dict[str, str]:
    """role -> model name that this lesson will use in the given mode."""
    out = {}
    for spec in CATALOG.values():
        if lesson in spec.lessons:
            if online:
                out[spec.role] = spec.hub_id
            else:
                out[spec.role] = spec.offline.name if spec.offline else f"(online only: {spec.offline_note})"
    return out


def setup_lesson(lesson: str | None = None, *, seed: int | None = None, mode: str | None = None,
                 device: str | None = None, language: str | None = None):
    """Decide online/offline, pick the device, seed everything, quiet the libraries; print it all.

    `language` ("en" or "ko"; else COURSE_LANGUAGE, else English) is the language of the quizzes,
    exercise feedback and widget labels (course_utils.kernel.i18n); the printed report stays English so
    both editions store the same outputs.

    The seed is 0 unless given, or set in COURSE_SEED (how tools/claim_evidence.py reruns a
    lesson under other seeds); `cu.lesson_seed()` returns it for the lesson's experiments.
    """
    if language is not None:
        set_language(language)
    hub = decide_mode(mode)
    quiet_libraries()
    choice = get_device(device)
    seed = set_lesson_seed(seed)
    set_context(lesson, seed)
    print(f"mode:   {hub}")
    print(f"device: {choice}")
    print(f"seed:   {seed}")
    if lesson is not None:
        for role, name in models_for_lesson(lesson, hub.online).items():
            print(f"model for {role}: {name}")
    return choice


def environment_report(lesson: str | None = None) -> dict[str, str]:
    """Versions, device, memory and mode, as a dict (and printed as a table)."""
    import torch
    import transformers

    hub = decide_mode()
    choice = get_device()
    mem = device_memory_gb(choice.device)
    rows = {
        "Python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "running on Colab": str(in_colab()),
        "device": str(choice.device),
        "device name": (torch.cuda.get_device_name(0) if choice.device.type == "cuda" else platform.processor() or platform.machine()),
        "device memory": f"{mem:.1f} GiB" if mem is not None else "n/a (CPU: uses system RAM)",
        "dtype": str(choice.dtype).replace("torch.", ""),
        "CPU threads used by torch": str(torch.get_num_threads()),
        "Hub": str(hub),
    }
    width = max(map(len, rows))
    for k, v in rows.items():
        print(f"{k:<{width}}  {v}")
    return rows
