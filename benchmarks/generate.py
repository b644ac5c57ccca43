"""Generate a synthetic organisation of a given size, deterministic from a seed.

    python benchmarks/generate.py --goals 10000 --out /tmp/org10k

Teams in a tree (about one per 10 goals), people (about one per 3 goals), 12 KPIs with
monthly history, objectives with 2-5 key results and weekly check-ins, 3-4 goals a
person, some private, a few broken chains. Writes goals/, docs/ and mkdocs.yml.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

PERIOD, START = "2026-Q3", date(2026, 7, 6)
WEEKS = 12
KPI_IDS = [
    "churn",
    "nps",
    "nrr",
    "activation",
    "arr",
    "csat",
    "frt",
    "uptime",
    "mttr",
    "cac",
    "ltv",
    "margin",
]


def _name(rnd: random.Random) -> str:
    first = [
        "Ana",
        "Rui",
        "Zoë",
        "Søren",
        "Aiko",
        "María",
        "Kwame",
        "Lena",
        "Omar",
        "Priya",
        "Tomás",
        "Chloé",
        "David",
        "Fatima",
        "Inês",
        "Lucas",
    ]
    last = [
        "Silva",
        "López",
        "Müller",
        "Ødegaard",
        "Tanaka",
        "Okafor",
        "Kowalski",
        "Haddad",
        "Raman",
        "Novák",
        "Dubois",
        "Ferreira",
        "Mensah",
        "Carvalho",
    ]
    return f"{rnd.choice(first)} {rnd.choice(last)}"


def generate(goals: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the organisation under ``out``; return its counts."""
    rnd = random.Random(seed)
    n_teams = max(3, goals // 10)
    n_people = max(3, goals // 3)
    g = out / "goals"
    (g / PERIOD / "teams").mkdir(parents=True, exist_ok=True)
    (g / PERIOD / "people").mkdir(parents=True, exist_ok=True)
    (out / "docs").mkdir(parents=True, exist_ok=True)

    teams = [("t0", None)] + [
        (f"t{i}", f"t{rnd.randrange(max(1, i // 3 + 1))}") for i in range(1, n_teams)
    ]
    people = [(f"p{i}", f"t{i % n_teams}") for i in range(n_people)]
    lines = ["organization: Synthetic Corp", "teams:"]
    for tid, parent in teams:
        parent_part = f", parent: {parent}" if parent else ""
        lines.append(f"  - {{id: {tid}, name: Team {tid}{parent_part}}}")
    lines.append("people:")
    for pid, tid in people:
        lines.append(f"  - {{id: {pid}, name: {_name(rnd)} {pid}, team: {tid}}}")
    (g / "org.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    lines = ["kpis:"]
    for k in KPI_IDS:
        lines += [
            f"  - id: {k}",
            f"    name: KPI {k}",
            "    direction: up",
            "    alert: 40",
            "    update_every: month",
            "    history:",
        ]
        for m in range(1, 11):
            lines.append(f"      - {{date: 2026-{m:02d}-28, value: {rnd.uniform(35, 60):.1f}}}")
    (g / "kpis.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # ~3 objectives per team: 3,000 objectives and ~10,000 key results at 10,000 goals.
    krs_by_team: dict[str, list[str]] = {}
    counts = {
        "teams": n_teams,
        "people": n_people,
        "objectives": 0,
        "key_results": 0,
        "goals": 0,
        "checkins": 0,
    }
    for tid, parent in teams:
        lines = [f"period: {PERIOD}", f"team: {tid}", "objectives:"]
        for o in range(3):
            oid = f"o{o}"
            counts["objectives"] += 1
            lines += [
                f"  - id: {oid}",
                f"    title: Make outcome {o} of team {tid} excellent",
                f"    owner: p{rnd.randrange(n_people)}",
            ]
            if parent and rnd.random() > 0.02:  # a few broken chains
                lines.append(f"    aligns_to: {parent}/o{rnd.randrange(3)}")
            lines += ["    description: Why this matters, in **Markdown**.", "    key_results:"]
            for k in range(rnd.choice((2, 3, 4, 5)) if tid != "t0" else 4):
                counts["key_results"] += 1
                base, target = rnd.randint(10, 50), rnd.randint(60, 120)
                lines += [
                    f"      - id: k{k}",
                    f"        title: Raise metric {k} from {base} to {target}",
                    f"        baseline: {base}",
                    f"        target: {target}",
                ]
                if tid == "t0":
                    lines.append(f"        kpi: {KPI_IDS[(o * 4 + k) % len(KPI_IDS)]}")
                lines.append("        checkins:")
                value = base
                for w in range(WEEKS):
                    value += (target - base) / WEEKS * rnd.uniform(0.2, 1.2)
                    day = START + timedelta(weeks=w)
                    lines.append(
                        f"          - {{date: {day}, value: {value:.1f}, "
                        f"confidence: {rnd.uniform(0.3, 0.9):.1f}}}"
                    )
                    counts["checkins"] += 1
                krs_by_team.setdefault(tid, []).append(f"{tid}/{oid}/k{k}")
        (g / PERIOD / "teams" / f"{tid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    left = goals
    for pid, tid in people:
        if left <= 0:
            break
        n = min(left, rnd.choice((3, 3, 4)))
        left -= n
        lines = [f"period: {PERIOD}", f"owner: {pid}", "goals:"]
        for i in range(n):
            counts["goals"] += 1
            lines += [
                f"  - id: g{i}",
                f"    title: Reduce the cycle time of process {i} from 10 to 6 days",
                f"    supports: {rnd.choice(krs_by_team[tid])}",
                "    metric: Days",
                "    baseline: 10",
                "    target: 6",
                "    due: 2026-09-15",
                "    achievable: Done before in a pilot.",
                f"    status: {rnd.choice(('open', 'open', 'done', 'missed'))}",
            ]
            if rnd.random() < 0.05:
                lines.append("    visibility: private")
        path = g / PERIOD / "people" / f"{pid}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    (out / "mkdocs.yml").write_text(
        "site_name: Synthetic Corp\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - okrsite:\n      today: 2026-09-20\n"
        "      rules: {stale-key-result: off}\n",
        encoding="utf-8",
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(generate(args.goals, args.out, args.seed))


if __name__ == "__main__":
    main()
