"""Test order for two workers (scripts/run.sh test runs pytest-xdist with --dist loadscope).

The longest unit goes first, so that the workers finish together: the JupyterLab browser run
(every notebook, ~9 min), then the notebooks under nbval, then the quick unit tests, which fill
in at the end. Run with `--no-loadscope-reorder` so xdist keeps this order.

The Korean edition (solutions/ko/) is not run under nbval: its code cells and outputs are the
English run's own (tools/build_notebook.py writes both editions from one run); tests/test_korean_edition.py
checks that they match, cell by cell.
"""

collect_ignore = ["solutions/ko"]


def pytest_collection_modifyitems(config, items):
    def rank(item) -> int:
        if "test_browser_jupyterlab" in item.nodeid:
            return 0
        if item.nodeid.startswith("solutions/"):
            return 1
        return 2

    items.sort(key=rank)   # stable: the order within each group is kept
