"""The diff as Markdown (a pull-request comment) and as JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from okrsite.formatting import fmt_score
from okrsite.review.diff import ADDED, CHANGED, KINDS, REMOVED, FieldChange, GoalDiff, ItemChange

LONG = 12  # a group with more lines than this is folded into <details>
_PLURAL = {
    "team": "Teams",
    "person": "People",
    "kpi": "KPIs",
    "objective": "Objectives",
    "key result": "Key results",
    "goal": "Goals",
}
MARKER = "<!-- okrsite-diff -->"  # lets a CI job find and update its own sticky comment


def _md(text: Any) -> str:
    """Text from goal files made inert in Markdown: no HTML, no links, no tables broken."""
    s = str(text)
    for ch in "\\`*_[]<>|#!":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


def _code(text: str) -> str:
    """A ref name as inline code. Branch names may hold backticks (git allows them, and
    anyone names the branch of a pull request), which no code span can hold: such a
    name is shown as inert text instead."""
    return f"`{text}`" if "`" not in text and "\n" not in text else _md(text)


def _val(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, date):
        return v.isoformat()
    return _md(v)


def _field_line(f: FieldChange) -> str:
    return f"{f.name}: {_val(f.old)} → {_val(f.new)}"


def _item_lines(c: ItemChange) -> list[str]:
    head = f"{c.kind} **{_md(c.title)}** (`{c.key}`)"
    if c.status == ADDED:
        lines = [f"- new {head}"]
    elif c.status == REMOVED:
        lines = [f"- removed {head}"]
    else:
        details = [_field_line(f) for f in c.fields]
        if c.checkins:
            shown = ", ".join(
                f"{ck.date.isoformat()} {ck.value:g}"
                + (f" ({ck.confidence:.0%})" if ck.confidence is not None else "")
                for ck in c.checkins[:4]
            )
            more = f" and {len(c.checkins) - 4} more" if len(c.checkins) > 4 else ""
            word = "measurement" if c.kind == "kpi" else "check-in"
            details.append(
                f"{len(c.checkins)} {word}{'s' if len(c.checkins) != 1 else ''} "
                f"added: {shown}{more}"
            )
        if c.score is not None:
            label = "progress" if c.kind == "key result" else "score"
            details.append(f"{label} {fmt_score(c.score[0])} → {fmt_score(c.score[1])}")
        lines = [f"- {head}: " + "; ".join(details)]
    return lines


def to_markdown(d: GoalDiff) -> str:
    """A pull-request comment: summary table, review warnings, then details by team."""
    out = [MARKER, f"## Goal changes: {_code(d.base)} → {_code(d.head)}", ""]
    out += [f"> {_md(note)}\n" for note in d.notes]
    if not d.changes:
        out.append("No changes to teams, people, KPIs, objectives, key results or goals.")
        return "\n".join(out) + "\n"
    counts = d.counts()
    out += ["| | added | removed | changed |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        row = counts[kind]
        if any(row.values()):
            out.append(f"| {_PLURAL[kind]} | {row[ADDED]} | {row[REMOVED]} | {row[CHANGED]} |")
    out.append("")
    if d.warnings:
        out += ["### ⚠️ Worth a look in review", ""]
        out += [f"- {_md(w)}" for w in d.warnings]
        out.append("")
    groups: dict[str, list[ItemChange]] = {}
    for c in d.changes:
        groups.setdefault(c.group, []).append(c)
    for group in sorted(groups, key=lambda g: (g.startswith("Team"), g)):
        lines = [line for c in groups[group] for line in _item_lines(c)]
        if len(lines) > LONG:
            out += [
                f"<details><summary><b>{_md(group)}</b> ({len(lines)} changes)</summary>",
                "",
                *lines,
                "",
                "</details>",
                "",
            ]
        else:
            out += [f"### {_md(group)}", "", *lines, ""]
    return "\n".join(out).rstrip() + "\n"


def _json_value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def to_json(d: GoalDiff) -> str:
    """The diff as JSON for tools."""
    doc = {
        "base": d.base,
        "head": d.head,
        "counts": d.counts(),
        "warnings": d.warnings,
        "notes": d.notes,
        "changes": [
            {
                "kind": c.kind, "key": c.key, "title": c.title, "status": c.status,
                "group": c.group,
                "fields": [{"name": f.name, "old": _json_value(f.old), "new": _json_value(f.new)}
                           for f in c.fields],
                "checkins_added": [{"date": ck.date.isoformat(), "value": ck.value,
                                    "confidence": ck.confidence, "note": ck.note}
                                   for ck in c.checkins],
                "score": None if c.score is None else {"old": c.score[0], "new": c.score[1]},
            }
            for c in d.changes
        ],
    }  # fmt: skip
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
