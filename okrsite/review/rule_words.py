"""The words the wording rules look for: activity verbs (a task, not an outcome), the
verbs of holding a number (a KPI, not a change) and vague words (no measure).

Titles are read as lowercase words (letters, apostrophes and hyphens); a digit
anywhere counts as a number.
"""

from __future__ import annotations

import re

TASK_VERBS = frozenset(
    [
        "launch",
        "ship",
        "run",
        "hold",
        "host",
        "build",
        "create",
        "implement",
        "deliver",
        "write",
        "complete",
        "release",
        "hire",
        "organize",
        "organise",
        "conduct",
        "migrate",
        "deploy",
        "design",
        "develop",
        "publish",
        "introduce",
        "finish",
        "attend",
        "prepare",
        "send",
        "document",
        "roll",
        "set",
        "start",
        "kick",
        "establish",
        "install",
    ]
)
KPI_VERBS = frozenset(["maintain", "keep", "sustain", "stay", "remain", "preserve", "protect"])
VAGUE_WORDS = frozenset(
    [
        "significantly",
        "substantially",
        "greatly",
        "dramatically",
        "better",
        "improve",
        "improved",
        "improving",
        "enhance",
        "enhanced",
        "optimize",
        "optimise",
        "various",
        "some",
        "more",
        "many",
        "several",
        "lots",
        "robust",
        "world-class",
        "best-in-class",
        "seamless",
        "streamline",
        "leverage",
        "maximize",
        "maximise",
        "minimize",
        "minimise",
        "strengthen",
        "stronger",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_DIGIT = re.compile(r"\d")


def words(text: str) -> list[str]:
    """The lowercase words of ``text``."""
    return _WORD.findall(text.lower())


def first_word(text: str) -> str:
    """The first lowercase word of ``text``, or ``""``."""
    found = words(text)
    return found[0] if found else ""


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (a number, a date, a percentage)."""
    return _DIGIT.search(text) is not None


def is_task(title: str) -> bool:
    """Starts with an activity verb: "Launch X", "Run 12 webinars"."""
    return first_word(title) in TASK_VERBS


def holds_steady(title: str) -> bool:
    """Starts with a verb of keeping a number where it is: "Maintain NPS above 40"."""
    return first_word(title) in KPI_VERBS


def is_vague(title: str) -> bool:
    """Vague words and no number: "Significantly improve onboarding"."""
    return not has_digit(title) and any(w in VAGUE_WORDS for w in words(title))
