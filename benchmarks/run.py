"""Benchmark okrsite against a plain Material build of the same number of pages.

    python benchmarks/run.py --sizes 1000 10000 --runs 3

For each size: generate the synthetic organisation (benchmarks/generate.py), count the
pages okrsite makes, and write a plain Material project with one hand-written Markdown
page per okrsite page, each of the same rendered body size (a table and lists, repeated
to size), and a small explicit navigation; and a second plain project of short
pages of one fixed size, for scale. Then build the three
alternately, ``--runs`` times each, in the same session (so the ratio holds on a noisy
machine), recording wall time, peak memory and okrsite's own phases (from its log
line "time in okrsite: load ..., rules ..., pages ..., render ..."). Prints a Markdown
table; the docs page benchmarks.md holds the numbers of a run on a 2-core machine.

    python benchmarks/run.py --sizes 1000 10000 --runs 2 --short-only --search --serve

adds, for each size and in the same run, what a reader and an editor feel: the first
search of a visit on the okrsite site just built (benchmarks/search.py, headless
Chromium: time from the first keystroke to the first result, bytes fetched), and the
time from saving a goal file to the new text in the browser under ``mkdocs serve``
(benchmarks/serve.py's ``edit_to_visible``).
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate
from serve import CHROMIUM, edit_to_visible

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PHASES = re.compile(r"(\d+) pages; time in okrsite: (.*)")

PLAIN_PAGE = """# Objective {i}: make outcome {i} excellent

Owner: Person {i} · Team {team} · period 2026-Q3 · score **0.{score}**

Why this matters, in **Markdown**: a paragraph of text of the length that goal
descriptions and check-in notes usually have on an OKR page, with a [link](../p{prev}/)
to another page and some *emphasis*.

## Key results

| Key result | Baseline | Current | Target | Progress |
|---|---:|---:|---:|---:|
| Raise metric 1 from 10 to 60 | 10 | 35 | 60 | 0.50 |
| Raise metric 2 from 20 to 80 | 20 | 62 | 80 | 0.70 |
| Raise metric 3 from 5 to 50 | 5 | 14 | 50 | 0.20 |

## Check-ins

- 2026-07-06: 12, confidence 70%, pilot started
- 2026-07-13: 18, confidence 70%
- 2026-07-20: 25, confidence 60%
- 2026-07-27: 31, confidence 70%

## Goals

1. Reduce the cycle time of process 1 from 10 to 6 days (open)
2. Reduce the cycle time of process 2 from 10 to 6 days (done)
"""


CHECKIN_BLOCK = """
## Check-ins of key result {k}

| Date | Value | Confidence | Note |
|---|---:|---:|---|
| 2026-07-06 | 12 | 70% | pilot started with two teams |
| 2026-07-13 | 18 | 70% | |
| 2026-07-20 | 25 | 60% | one customer churned |
| 2026-07-27 | 31 | 70% | |
"""

_ARTICLE = re.compile(r"<article[^>]*>(.*)</article>", re.S)


def body_sizes(site: Path) -> list[int]:
    """Bytes of page body (Material's <article>) of every page of a built site."""
    sizes = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        match = _ARTICLE.search(page.read_text(encoding="utf-8"))
        if match:
            sizes.append(len(match[1]))
    return sizes


def largest_pages(site: Path, count: int = 3) -> list[tuple[int, str]]:
    """The ``count`` largest HTML files of a built site (whole file bytes, path): what
    a reader of the heaviest page downloads before the first paint."""
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return sorted(pages, reverse=True)[:count]


def plain_project(root: Path, sizes: list[int]) -> Path:
    """A Material project of hand-written pages, one per entry of ``sizes``.

    Page i repeats check-in sections until its rendered body is about ``sizes[i]``
    bytes, so the plain build renders as many pages of the same sizes as okrsite
    does (the benchmark's "pages of similar size"), with a small explicit nav.
    """
    import markdown  # the same Python-Markdown that MkDocs uses, to size the pages

    def html_size(text: str) -> int:
        return len(markdown.markdown(text, extensions=["tables"]))

    base = html_size(PLAIN_PAGE.format(i=1, team=1, score=1, prev=0))
    block = html_size(CHECKIN_BLOCK.format(k=1))
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for i, size in enumerate(sizes):
        folder = docs / f"p{i}"
        folder.mkdir(parents=True, exist_ok=True)
        extra = max(0, round((size - base) / block))
        text = PLAIN_PAGE.format(i=i, team=i % 97, score=i % 10, prev=max(i - 1, 0))
        text += "".join(CHECKIN_BLOCK.format(k=k) for k in range(extra))
        (folder / "index.md").write_text(text, encoding="utf-8")
    (docs / "index.md").write_text("# Plain\n\nThe baseline.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme: {name: material, font: false}\nplugins: [search]\n"
        "nav:\n  - index.md\n  - p0/index.md\n  - p1/index.md\n"
        "validation: {nav: {omitted_files: ignore}}\n",
        encoding="utf-8",
    )
    return root


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc): the
    build's own process plus anything it starts (Pagefind's indexer runs beside it)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def build(root: Path) -> dict[str, float | str]:
    """One `mkdocs build`: wall seconds, peak RSS of its process tree in MiB (sampled
    every 0.2 s), okrsite's phases."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["mkdocs", "build"],
        cwd=root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    output: list[str] = []
    reader = threading.Thread(
        target=lambda: output.append(proc.stdout.read() if proc.stdout else "")
    )
    reader.start()
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    reader.join()
    wall = time.perf_counter() - start
    out = "".join(output)
    if proc.returncode:
        raise SystemExit(f"build failed in {root}:\n{out[-2000:]}")
    result: dict[str, float | str] = {"wall": wall, "rss": peak / 1024}
    match = PHASES.search(out)
    if match:
        result["page_count"] = float(match[1])
        for part in match[2].split(", "):
            name, secs = part.rsplit(" ", 1)
            result[name] = float(secs.rstrip("s"))
    return result


def stats(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


# As the plugin loads: then it freezes the organisation for the collector.
LOAD_ALONE = """
import gc, sys, time
from okrsite.pipeline import gc_paused
from okrsite.source.loader import load
start = time.perf_counter()
with gc_paused():  # as pipeline.run does for the plugin, freezing before the pause ends
    load(sys.argv[1])
    gc.freeze()
print(time.perf_counter() - start)
"""


def load_alone(org: Path) -> float:
    """Seconds for load + validate + graph in a fresh process, after the import."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD_ALONE, str(org / "goals")],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep the projects here")
    parser.add_argument(
        "--short-only",
        action="store_true",
        help="leave out the same-size plain project (the slowest of the three)",
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="then time the first search of a visit on each okrsite site in Chromium "
        "(benchmarks/search.py, the site's own search box)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="then time edit to visible under mkdocs serve in Chromium "
        "(benchmarks/serve.py --browser), --edits times per size",
    )
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument(
        "--pauses",
        type=float,
        nargs="+",
        default=[8.0, 3.0],
        help="seconds from a change shown to the next save, one server session each",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="okrsite-bench-"))
    # okrsite compiled as pip compiles an installed package (MkDocs' and Material's are):
    # an editable install under PYTHONDONTWRITEBYTECODE would compile its modules in
    # every build.
    import okrsite

    compileall.compile_dir(Path(okrsite.__file__).parent, quiet=1)
    rows = []
    searched: list[str] = []
    served: list[tuple[int, dict[str, Any]]] = []
    for size in args.sizes:
        org = work / f"org{size}"
        if not (org / "goals").exists():
            generate(size, org)
        first = build(org)
        pages = int(first.get("page_count", 0))
        if not pages:
            raise SystemExit("okrsite's timing line was not in the build log")
        sizes = body_sizes(org / "site")
        # Two baselines: pages of the same body sizes as okrsite's (the benchmark's
        # definition), and short pages of one fixed size, for a sense of scale.
        same, short = work / f"plain{size}", work / f"short{size}"
        if not args.short_only and not (same / "docs").exists():
            plain_project(same, sizes)
        if not (short / "docs").exists():
            plain_project(short, [0] * len(sizes))
        runs: dict[str, list[dict[str, float | str]]] = {"okr": [first], "same": [], "short": []}
        for i in range(args.runs):
            if not args.short_only:
                runs["same"].append(build(same))
            runs["short"].append(build(short))
            if i + 1 < args.runs:
                runs["okr"].append(build(org))
        loads = [load_alone(org) for _ in range(args.runs)]
        rss = max(float(r["rss"]) for r in runs["okr"])
        bodies = [statistics.mean(sizes) / 1000] + [
            statistics.mean(body_sizes(p / "site")) / 1000 if (p / "site").exists() else 0.0
            for p in (same, short)
        ]
        rows.append((size, pages, runs, loads, rss, bodies, largest_pages(org / "site")))
        print(f"size {size}: {pages} pages done", file=sys.stderr)
        # The site of okrsite's last build above, searched; then the organisation served.
        if args.search:
            searched += _search(f"{size:,} goals", org / "site", args.runs, work)
        if args.serve:
            served += [(size, edit_to_visible(org, args.edits, p)) for p in args.pauses]

    def med(results: list[dict[str, float | str]], key: str = "wall") -> float:
        return statistics.median([float(r.get(key, 0)) for r in results] or [0.0])

    print(
        "| goals | pages | okrsite (s) | plain, same-size pages (s) | ratio | "
        "plain, short pages (s) | ratio | mean page body okrsite / same / short (KB) |"
    )
    print("|---:|---:|---|---|---:|---|---:|---|")
    for size, pages, runs, _, _, bodies, _ in rows:
        walls = {k: [float(r["wall"]) for r in v] for k, v in runs.items()}
        same_cells = (
            f"{stats(walls['same'])} | {med(runs['okr']) / med(runs['same']):.2f}"
            if walls["same"]
            else "not run | -"
        )
        print(
            f"| {size:,} | {pages:,} | {stats(walls['okr'])} | {same_cells} | "
            f"{stats(walls['short'])} | "
            f"{med(runs['okr']) / med(runs['short']):.2f} | "
            f"{bodies[0]:.1f} / {bodies[1]:.1f} / {bodies[2]:.1f} |"
        )
    print(
        "\n| goals | load + validate + graph, alone (s) | in the build: load | rules "
        "| plan | render | search index | MkDocs and Material: the rest "
        "| okrsite's share of the build "
        "| peak RSS (MiB) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, _, runs, loads, rss, _, _ in rows:
        okr = runs["okr"]
        phases = {k: med(okr, k) for k in ("load", "rules", "plan", "render", "search index")}
        share = sum(phases.values()) / med(okr)
        print(
            f"| {size:,} | {stats(loads)} | {phases['load']:.2f} | {phases['rules']:.2f} | "
            f"{phases['plan']:.2f} | {phases['render']:.2f} | {phases['search index']:.2f} | "
            f"{med(okr) - sum(phases.values()):.2f} | {share:.0%} | {rss:.0f} |"
        )
    print("\n| goals | largest pages (KB, whole HTML file) |")
    print("|---:|---|")
    for size, *_, largest in rows:
        listed = ", ".join(f"{path} {nbytes / 1000:,.0f}" for nbytes, path in largest)
        print(f"| {size:,} | {listed} |")
    per_goal = {size: med(runs["okr"]) / size for size, _, runs, *_ in rows}
    if len(per_goal) > 1:
        small, large = min(per_goal), max(per_goal)
        print(
            f"\nper-goal cost at {large:,} vs {small:,} goals: "
            f"{per_goal[large] / per_goal[small]:.2f}x"
        )
    if searched:
        print(
            "\n| site | search | first results after typing, ms | search bytes per visit, KB "
            "| page load, KB | visits |"
        )
        print("|---|---|---|---|---|---|")
        print("\n".join(searched))
    if served:
        print(
            "\n| goals | next save after (s) | edit to visible, goal page: median / max (s) "
            "| objective page (s) "
            "| until the server reloads the browsers (s) | server RSS after the edits (MiB) "
            "| rebuilds |"
        )
        print("|---:|---:|---|---|---|---:|---|")
        for size, r in served:
            builds = "; ".join(sorted(set(r["builds"])))
            print(
                f"| {size:,} | {r['pause']:g} | {r['goal_median']:.2f} / {r['goal_max']:.2f} | "
                f"{r['objective_median']:.2f} / {r['objective_max']:.2f} | "
                f"{r['server_median']:.2f} / {r['server_max']:.2f} | {r['rss_mib']} | {builds} |"
            )


def _search(name: str, site: Path, runs: int, work: Path) -> list[str]:
    """benchmarks/search.py's rows for ``site``'s own search box."""
    import search  # Playwright's, only when asked for
    from playwright.sync_api import sync_playwright

    options = argparse.Namespace(query=None, runs=runs, mbps=0, work=work)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        try:
            return search.measure(browser, name, site, ["box"], options)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
