"""How ``okrsite validate`` reports: text for people, JSON for tools, GitHub workflow
commands for annotations in a pull request. Every text goes through
:func:`okrsite.diagnostics.printable`, so a goal file cannot forge a workflow command."""

from __future__ import annotations

import json
import sys
from typing import Any

from okrsite.diagnostics import INFO, Diagnostic, printable
from okrsite.formatting import level_counts, plural
from okrsite.review import rules


def _gh_escape(text: str, prop: bool = False) -> str:
    # GitHub's workflow-command escaping: %, CR, LF always; ':' and ',' in properties.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


class Report:
    """The report of one ``okrsite validate`` run, in one of its formats."""

    def __init__(self, fmt: str):
        self.fmt = fmt

    def data_errors(self, diags: list[Diagnostic], notes: list[Diagnostic]) -> None:
        """Data errors: the goal files could not be loaded, so nothing else was checked;
        the load's warnings and notes are still listed."""
        if self.fmt == "json":
            print(
                json.dumps(
                    {
                        "errors": [_diag_json(d) for d in diags],
                        "warnings": [_diag_json(d) for d in notes],
                        "findings": [],
                    },
                    indent=1,
                    ensure_ascii=False,
                )
            )
        elif self.fmt == "github":
            for d in diags:
                print(_gh("error", d.path, d.line, "okrsite data error", d.message))
            self._notes(notes)
        else:
            for d in diags:
                print(str(d))
            self._notes(notes)
        print(
            f"okrsite: {plural(len(diags), 'data error')}; nothing else was checked",
            file=sys.stderr,
        )

    def _notes(self, notes: list[Diagnostic]) -> None:
        for d in notes:
            if self.fmt == "github":
                print(_gh(_GH_LEVEL[d.level], d.path, d.line, "okrsite", d.message))
            else:
                print(f"{d} ({'note' if d.level == INFO else d.level})")

    def findings(self, warnings: list[Diagnostic], findings: list[rules.Finding]) -> None:
        """Warnings and notes of the load, then the goal-quality findings; a summary."""
        if self.fmt == "json":
            print(
                json.dumps(
                    {
                        "errors": [],
                        "warnings": [_diag_json(d) for d in warnings],
                        "findings": [
                            {
                                "path": f.source.path,
                                "line": f.source.line,
                                "code": f.rule.code,
                                "name": f.rule.name,
                                "level": f.level,
                                "message": f.message,
                            }
                            for f in findings
                        ],
                    },
                    indent=1,
                    ensure_ascii=False,
                )
            )
        elif self.fmt == "github":
            self._notes(warnings)
            for f in findings:
                print(
                    _gh(
                        _GH_LEVEL[f.level],
                        f.source.path,
                        f.source.line,
                        f"{f.rule.code} {f.rule.name}",
                        f.message,
                    )
                )
        else:
            self._notes(warnings)
            for f in findings:
                print(f"{f} ({f.level})")
        parts = [plural(n, word) for word, n in level_counts(findings)]
        summary = ", ".join(parts) or "no findings"
        print(f"okrsite: {summary}", file=sys.stderr)


def _diag_json(d: Diagnostic) -> dict[str, Any]:
    return {"path": d.path, "line": d.line, "level": d.level, "message": d.message}


def _gh(level: str, path: str, line: int, title: str, message: str) -> str:
    return (
        f"::{level} file={_gh_escape(path, True)},line={line},"
        f"title={_gh_escape(printable(title), True)}::{_gh_escape(printable(message))}"
    )
