"""Errors a learner can meet, each with a message that says what to do next.

They subclass the built-in exception a Python user would expect (ValueError for bad
arguments, RuntimeError for a missing resource), so `except ValueError` still works.
"""


class CourseError(Exception):
    """Base class: every error raised on purpose by course_utils."""


class UnknownRoleError(CourseError, KeyError):
    def __str__(self):  # KeyError would wrap the message in quotes
        return self.args[0] if self.args else ""


class BadInputError(CourseError, ValueError):
    """An argument has a value that cannot work (empty text, temperature <= 0, ...)."""


class OfflineModelMissingError(CourseError, RuntimeError):
    """We are offline and the package that carries the offline model is not installed."""


class GPUNotAvailableError(CourseError, RuntimeError):
    """A GPU was asked for explicitly but none is present."""


class OnlineOnlyError(CourseError, RuntimeError):
    """This part of a lesson needs the Hugging Face Hub (and usually a GPU)."""
