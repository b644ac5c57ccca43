"""Precision and recall of okrsite's wording rules on the labelled corpus of titles.

The corpus (tests/fixtures/lint_corpus.yaml) lists objectives, key results and goals,
each with the wording rules that should fire on it. This script writes them into a real
organisation (goal files in a temporary folder), loads it as a build does, runs
``okrsite.review.rules.check`` and compares each wording rule's findings with the labels:

- precision: of the titles a rule flags, the share it should flag;
- recall: of the titles a rule should flag, the share it flags.

Run from the repository root:

    python scripts/lint_corpus.py        # the table, and each title a rule gets wrong
    python scripts/lint_corpus.py -q     # the table only
    python scripts/lint_corpus.py --corpus tests/fixtures/lint_heldout.yaml   # another file

The exit status is 0 when every rule reaches the targets (precision >= 0.95, recall
>= 0.9), 1 otherwise. tests/test_lint_corpus.py asserts the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from okrsite.review import rules
from okrsite.source.loader import load

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lint_corpus.yaml"
# The wording rules of each kind of item, as the corpus labels them.
KINDS = {
    "objectives": ("OKR103",),
    "key_results": ("OKR201", "OKR202", "OKR203"),
    "goals": ("OKR302",),
}
PREFIXES = {"o": "objectives", "k": "key_results", "g": "goals"}
PRECISION, RECALL = 0.95, 0.9
TODAY = date(2026, 8, 20)
ORG = {
    "organization": "Corpus Inc",
    "teams": [{"id": "corpus", "name": "Corpus", "lead": "sam"}],
    "people": [{"id": "sam", "name": "Sam Corpus", "team": "corpus"}],
}
# A neutral objective to hold the corpus's key results, five to an objective.
HOST = "Make retention our strongest growth lever"


@dataclass
class Score:
    """One rule's counts on the corpus, and the titles it gets wrong."""

    true_pos: int = 0
    false_pos: list[str] = field(default_factory=list)
    false_neg: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Of the titles flagged, the share the labels flag (1.0 when none is flagged)."""
        flagged = self.true_pos + len(self.false_pos)
        return self.true_pos / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Of the titles the labels flag, the share flagged (1.0 when none should be)."""
        labelled = self.true_pos + len(self.false_neg)
        return self.true_pos / labelled if labelled else 1.0

    def meets_targets(self) -> bool:
        """Whether this rule reaches both targets."""
        return self.precision >= PRECISION and self.recall >= RECALL


def read_corpus(path: Path = CORPUS) -> dict[str, list[dict[str, Any]]]:
    """The corpus: for each kind, its entries (title, fires, note); a kind left out of
    the file has none."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {kind: data.get(kind) or [] for kind in KINDS}


def _files(corpus: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The goal files holding every title, with ids that say which entry is which."""
    objectives: list[dict[str, Any]] = []
    for i, entry in enumerate(corpus["objectives"]):
        fillers = [
            {
                "id": f"f{n}",
                "title": f"Cut churn in cohort {n} from 5% to 4%",
                "baseline": 5,
                "target": 4,
            }
            for n in (1, 2)
        ]
        objectives.append(
            {"id": f"o{i}", "title": entry["title"], "owner": "sam", "key_results": fillers}
        )
    entries = corpus["key_results"]
    for start in range(0, len(entries), 5):
        krs: list[dict[str, Any]] = [
            {"id": f"k{i}", "title": entries[i]["title"], "baseline": 0, "target": 10}
            for i in range(start, min(start + 5, len(entries)))
        ]
        objectives.append({"id": f"h{start}", "title": HOST, "owner": "sam", "key_results": krs})
    goals = [
        {"id": f"g{i}", "title": entry["title"], "metric": "Value", "baseline": 0, "target": 1}
        for i, entry in enumerate(corpus["goals"])
    ]
    return {
        "org.yaml": ORG,
        "2026-Q3/corpus.yaml": {"period": "2026-Q3", "team": "corpus", "objectives": objectives},
        "2026-Q3/people/sam.yaml": {"period": "2026-Q3", "owner": "sam", "goals": goals},
    }


def _flagged(corpus: dict[str, list[dict[str, Any]]], folder: Path) -> set[tuple[str, int, str]]:
    """(kind, entry index, rule code) of every wording finding on the corpus."""
    for name, data in _files(corpus).items():
        path = folder / "goals" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    loaded = load(folder / "goals", include_private=True)
    flagged = set()
    for finding in rules.check(loaded.org, TODAY):
        # o<i>, k<i> and g<i> are corpus entries; h<i> and f<i> hold them and are left out
        ident = str(getattr(finding.item, "id", ""))
        kind = PREFIXES.get(ident[:1])
        if kind and ident[1:].isdigit() and finding.rule.code in KINDS[kind]:
            flagged.add((kind, int(ident[1:]), finding.rule.code))
    return flagged


def measure(corpus: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Score]:
    """Each wording rule's score on ``corpus`` (the corpus file when None)."""
    chosen = corpus or read_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        flagged = _flagged(chosen, Path(tmp))
    scores = {code: Score() for codes in KINDS.values() for code in codes}
    for kind, codes in KINDS.items():
        for i, entry in enumerate(chosen[kind]):
            expected = set(entry.get("fires") or [])
            for code in codes:
                hit = (kind, i, code) in flagged
                if hit and code in expected:
                    scores[code].true_pos += 1
                elif hit:
                    scores[code].false_pos.append(entry["title"])
                elif code in expected:
                    scores[code].false_neg.append(entry["title"])
    return scores


def table(scores: dict[str, Score]) -> str:
    """The scores as a Markdown table."""
    lines = [
        "| rule | name | flagged correctly | false alarms | missed | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for code, s in scores.items():
        lines.append(
            f"| {code} | `{rules.RULES[code].name}` | {s.true_pos} | {len(s.false_pos)} "
            f"| {len(s.false_neg)} | {s.precision:.2f} | {s.recall:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table (and, unless quiet, the titles each rule gets wrong)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-q", "--quiet", action="store_true", help="the table only")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=CORPUS,
        metavar="FILE",
        help="a labelled corpus in the same format (default: tests/fixtures/lint_corpus.yaml)",
    )
    args = parser.parse_args(argv)
    corpus = read_corpus(args.corpus)
    scores = measure(corpus)
    print(f"{sum(len(v) for v in corpus.values())} titles in {args.corpus.name}\n")
    print(table(scores))
    if not args.quiet:
        for code, s in scores.items():
            for title in s.false_pos:
                print(f"{code} false alarm: {title}")
            for title in s.false_neg:
                print(f"{code} missed:      {title}")
    return 0 if all(s.meets_targets() for s in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
