"""The one path from a goals folder to what okrsite shows, for the MkDocs plugin and
every ``okrsite`` command alike: load and resolve the goal files, diff them against a
base ref when asked, check the goal-quality rules; then render with one renderer.

Nothing here imports MkDocs. The callers differ only in where the options come from
(:mod:`okrsite.settings` reads them one way for both) and in what they do with the
outcome (pages, a report, a PDF).
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from okrsite.diagnostics import DataError, Diagnostic
from okrsite.model.graph import Organization
from okrsite.review import rules
from okrsite.review.diff import GoalDiff
from okrsite.review.diffsource import diff_refs
from okrsite.review.gitrefs import GitError
from okrsite.settings import Options
from okrsite.site import pages
from okrsite.site.render import Renderer
from okrsite.source.folder import ParseCache
from okrsite.source.loader import load


class BaseRefError(Exception):
    """The base ref of a diff (``compare_to``) cannot be read or holds data errors.

    The message is one line and names the ref as the option that gave it. ``notes``:
    the warnings and notes of the working tree's load, which went well, so that the
    caller can still show them."""

    def __init__(self, message: str, notes: Sequence[Diagnostic] = ()):
        super().__init__(message)
        self.notes = list(notes)


@dataclass
class Outcome:
    """An organisation as okrsite shows it: the organisation, the warnings and notes
    met loading it, the goal-quality findings, and the diff from the base ref (None
    when there was nothing to compare to). ``timings``: seconds per phase."""

    org: Organization
    notes: list[Diagnostic]
    findings: list[rules.Finding]
    diff: GoalDiff | None = None
    timings: dict[str, float] = field(default_factory=dict)


def rule_options(options: Options) -> rules.RuleOptions:
    """The rule levels and staleness the options ask for."""
    return rules.RuleOptions(dict(options.rule_levels), options.stale_after_days)


def as_of(options: Options, given: dt.date | None = None) -> dt.date:
    """The as-of date: ``given`` (a command's ``--today``), else the option, else the
    day of the run."""
    return given or options.today or dt.date.today()


def run(
    goals_dir: Path,
    options: Options,
    today: dt.date,
    *,
    display_base: Path | None = None,
    include_private: bool | None = None,
    compare_to: str | None = None,
    cache: ParseCache | None = None,
    after_load: Callable[[], object] | None = None,
    check: Callable[[Organization], list[rules.Finding]] | None = None,
) -> Outcome:
    """Load ``goals_dir``, diff it against ``compare_to`` (a git ref) if given, and
    check the rules, all with ``options``.

    ``include_private`` overrides the option (``okrsite validate`` checks private
    goals, ``--public-only`` does not). ``after_load`` runs once the organisation is
    loaded, before the diff (the plugin freezes what the build keeps alive there, and
    not what the diff leaves behind). Python's cyclic garbage collector is paused
    throughout: everything made here stays alive, so its passes would only rescan it.
    Raises :class:`DataError` with every data error of the goal files,
    :class:`BaseRefError` for a base ref that cannot be compared.
    """
    private = options.include_private if include_private is None else include_private
    timings: dict[str, float] = {}
    with gc_paused():
        with _timed(timings, "load"):
            loaded = load(
                goals_dir,
                include_private=private,
                fiscal_year_start=options.fiscal_year_start,
                display_base=display_base,
                cache=cache,
            )
        if after_load is not None:
            after_load()
        with _timed(timings, "diff"):
            try:
                goal_diff = (
                    _diff(goals_dir, compare_to, today, private, options) if compare_to else None
                )
            except BaseRefError as exc:
                exc.notes = loaded.warnings
                raise
        with _timed(timings, "rules"):
            if check is not None:
                findings = check(loaded.org)
            else:
                findings = rules.check(loaded.org, today, rule_options(options))
    return Outcome(loaded.org, loaded.warnings, findings, goal_diff, timings)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of the block.

    Reading a goal folder allocates millions of small objects that all stay alive
    (values, models, the graph). Every few hundred allocations the collector wakes up
    and, as generations fill, rescans everything alive so far: a large part of a load
    (the guide's benchmarks page has the figures). Nothing here needs a cycle collected
    before the block ends, so collection resumes afterwards as usual, and its next pass
    finds the garbage, if any.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def renderer(
    outcome: Outcome,
    options: Options,
    today: dt.date,
    *,
    template_dirs: Sequence[str | Path] = (),
    use_directory_urls: bool = True,
    home: str = pages.HOME,
) -> Renderer:
    """The renderer of an outcome's pages and print summaries. ``template_dirs``: the
    theme's folders, a user's ``custom_dir`` first, so overrides apply to the site and
    the PDF alike."""
    return Renderer(
        outcome.org,
        today,
        template_dirs=template_dirs,
        use_directory_urls=use_directory_urls,
        home=home,
        rule_levels=rule_options(options).levels,
        stale_after_days=options.stale_after_days,
        goal_diff=outcome.diff,
    )


def _diff(
    goals_dir: Path, ref: str, today: dt.date, include_private: bool, options: Options
) -> GoalDiff:
    try:
        return diff_refs(
            goals_dir,
            ref,
            None,
            today,
            include_private=include_private,
            fiscal_year_start=options.fiscal_year_start,
        )
    except GitError as exc:
        raise BaseRefError(f"compare_to: {exc}") from None
    except DataError as exc:
        raise BaseRefError(f"compare_to '{ref}': {exc}") from None


@contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - start
