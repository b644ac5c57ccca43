"""Read a goals folder into a resolved :class:`~okrsite.model.graph.Organization`.

Every problem of a run is collected and raised together as one
:class:`~okrsite.diagnostics.DataError`, each as ``path:line: message`` naming the
key, the bad value and the fix. Private goals are validated like any other, then
dropped here, before anything downstream can see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from okrsite.diagnostics import INFO, WARNING, DataError, Diagnostic
from okrsite.model.graph import Organization
from okrsite.settings import DEFAULTS
from okrsite.source import fileformat as schema
from okrsite.source.cycles import break_alignment_cycles, cut_long_alignment_chains
from okrsite.source.folder import ParseCache, resolved, survey
from okrsite.source.goalfile import FailedFile, ParsedFile, read_goal_file
from okrsite.source.kpis import read_kpis
from okrsite.source.okrs import link_objectives, read_okrs
from okrsite.source.organisation import find_root, read_org
from okrsite.source.registry import Registry
from okrsite.source.smart_goals import read_goals


@dataclass
class LoadResult:
    """A loaded organisation and the warnings and notes (level INFO: files not read)
    met on the way; errors raise."""

    org: Organization
    warnings: list[Diagnostic] = field(default_factory=list)
    files: int = 0


def load(
    goals_dir: Path | str,
    *,
    include_private: bool = False,
    fiscal_year_start: int = DEFAULTS.fiscal_year_start,
    display_base: Path | str | None = None,
    cache: ParseCache | None = None,
) -> LoadResult:
    """Load, validate and resolve every goal file under ``goals_dir``.

    Paths in messages are shown relative to ``display_base`` (default: the parent
    of ``goals_dir``, so they read ``goals/2026-Q3/product.yaml``).
    Raises :class:`DataError` with every error found.

    ``cache``: parsed files kept from an earlier load of the same folder by the
    caller (the MkDocs plugin keeps one for `mkdocs serve`); without one every file
    is read afresh and nothing is kept.
    """
    return _load(Path(goals_dir), include_private, fiscal_year_start, display_base, cache)


def _load(
    goals_dir: Path,
    include_private: bool,
    fiscal_year_start: int,
    display_base: Path | str | None,
    cache: ParseCache | None,
) -> LoadResult:
    base = Path(display_base) if display_base is not None else goals_dir.parent
    diags: list[Diagnostic] = []
    parsed: list[ParsedFile] = []
    failed: list[FailedFile] = []
    # Paths as shown in messages: relative to base when under it. String work, not
    # Path.relative_to: this runs for every file.
    prefix = base.as_posix().rstrip("/") + "/"

    def shown_path(path: Path) -> str:
        posix = path.as_posix()
        return posix[len(prefix) :] if posix.startswith(prefix) else posix

    found = survey(goals_dir, shown_path)
    if found.too_big:
        raise DataError(found.refused)
    files = found.files
    for refusal in found.refused:  # unread: it could have held anything
        diags.append(refusal)
        failed.append(FailedFile([refusal]))
    read: set[tuple[str, str]] = set()
    for path in files:
        shown = shown_path(path)
        if cache is None:
            result = read_goal_file(path, shown)
        else:
            result = cache.read(path, shown)
            read.add((str(path), shown))
        if isinstance(result, ParsedFile):
            parsed.append(result)
        else:
            diags.extend(result.diagnostics)
            failed.append(result)
    if cache is not None:
        cache.retain(read)
    reg = Registry(goals_dir, base, include_private, fiscal_year_start, diags)
    reg.note_failed(failed)
    org = _build(reg, parsed)
    # Nothing in the goals folder is passed over in silence (a 'lena.txt' meant as
    # goals, a backup 'lena.yaml.bak'); history files read for a KPI are data.
    for path in found.others:
        if resolved(path) not in reg.history_files:
            diags.append(
                Diagnostic(
                    shown_path(path),
                    1,
                    "not read: only .yaml and .yml files are goal files (a CSV file is "
                    "read when a KPI's 'history_file' names it)",
                    INFO,
                )
            )
    errors = [d for d in diags if d.level not in (WARNING, INFO)]
    notes = sorted(d for d in diags if d.level in (WARNING, INFO))
    if errors or org is None:
        raise DataError(errors, notes)
    return LoadResult(org, notes, len(files))


def _build(reg: Registry, parsed: list[ParsedFile]) -> Organization | None:
    """Link the validated files, in the order their references need: people before
    the KPIs and objectives they own, every OKR file before any 'aligns_to', every
    objective before the goals that support one."""
    by_kind: dict[str, list[ParsedFile]] = {k: [] for k in schema.KINDS}
    for item in parsed:
        by_kind[item.kind].append(item)
    name = read_org(reg, by_kind["org"])
    read_kpis(reg, by_kind["kpis"])
    okrs = [read_okrs(reg, p) for p in by_kind["okrs"]]
    for pending in okrs:
        link_objectives(reg, pending)
    break_alignment_cycles(reg)
    cut_long_alignment_chains(reg)
    for p in by_kind["goals"]:
        read_goals(reg, p)
    root = find_root(reg, by_kind["org"])
    if root is None or name is None:
        return None
    # A period only private goals name gets no page: its name would tell of them.
    periods = {k: p for k, p in reg.periods.items() if k in reg.shown_periods}
    return Organization(
        name,
        root,
        reg.teams,
        reg.people,
        reg.kpis,
        periods,
        reg.objectives,
        reg.goals,
        reg.private,
        reg.private_unlinked,
        reg.private_by_period,
        reg.private_supports,
        reg.private_unlinked_by_period,
    )
