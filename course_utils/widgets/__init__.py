"""widgets (layer 7): controls wired to plain functions of the parts below, one module per lesson family. Core ipywidgets only (7.7 and 8.x).

Each builder returns a widget whose callback calls a plain course_utils function, so tests
can drive the function directly and check the widget by setting values.
"""
