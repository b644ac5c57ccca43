"""Long computations that a caller may stop because their result would be out of date
(under `mkdocs serve`, the data files of an edit the next edit replaces): the caller
passes a function that says whether to stop, checked between steps, and the
computation raises :class:`Stopped` then."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
StopCheck = Callable[[], bool]


class Stopped(Exception):
    """The caller stopped the computation; it left nothing half done."""


def never() -> bool:
    """A :data:`StopCheck` for the callers that never stop (a build)."""
    return False


def check(stopped: StopCheck) -> None:
    """Raise :class:`Stopped` if ``stopped()`` says so."""
    if stopped():
        raise Stopped


def every(items: Iterable[T], stopped: StopCheck, step: int = 256) -> Iterator[T]:
    """``items``, checking ``stopped`` before the first and every ``step``-th one."""
    for n, item in enumerate(items):
        if n % step == 0:
            check(stopped)
        yield item
