"""`python -m course_utils.prepare` leaves every cached model and dataset complete."""
from course_utils.kernel import cache
from course_utils.prepare import prepare_offline


def test_prepare_leaves_every_cached_entry_complete():
    ready = prepare_offline(verbose=False)
    folders = [folder for folder, _ in ready.values()]
    assert len(folders) == 4
    for folder in folders:
        assert folder.is_dir() and any(folder.iterdir()), f"{folder} is empty"
    cached = [f for f in folders if f.parent == cache.cache_root()]
    assert len(cached) == 3, "SmolLM2, the sentiment model and the melodies live in the course cache"
    assert all(cache.is_complete(f) for f in cached)
