"""Build the benchmark organisations with each engine: MkDocs, ProperDocs and Zensical.

    python benchmarks/engines.py --sizes 1000 10000 --runs 3 --work /tmp/engines

For each size: generate the synthetic organisation (benchmarks/generate.py) and write
two copies of one project (mkdocs.yml with Material, search and okrsite, an explicit
nav naming okrsite's index pages, okrsite's stylesheet and script, the okrsite.zensical
Markdown extension, a fixed ``today``):

- the plugin project, built by ``mkdocs build`` and by ``properdocs build -f mkdocs.yml``
  (both run the okrsite plugin), each into its own site folder;
- the Zensical project, where ``okrsite generate`` writes okrsite's pages into an empty
  docs folder (timed on its own), then ``zensical build --clean`` builds it cold (its
  cache cleared, no previous site) and ``zensical build`` again, with its cache.

The engines are built alternately, ``--runs`` times each, starting with a different one
each run, in the same session (so the comparison holds on a noisy machine). For every
step: wall time, peak resident memory of the step's process (``os.wait4``'s
``ru_maxrss``: the largest process of its tree; each of these commands runs as one
process), the number of HTML files in the output site and its size. Prints a Markdown
table for docs/guide/benchmarks.md, and on stderr the HTML files that one engine made
and another did not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# The benchmark organisation's period is 2026-Q3; as generate.py's own mkdocs.yml does,
# pin 'today' inside it and leave out the rule the frozen check-in dates would trip.
CONFIG = """site_name: Synthetic Corp
theme:
  name: material
  font: false
plugins:
  - search
  - okrsite:
      today: 2026-09-20
      rules: {stale-key-result: off}
nav:
  - Home: index.md
  - KPIs: kpis/index.md
  - Periods: periods/index.md
  - Teams: teams/index.md
  - People: people/index.md
  - Goal quality: quality/index.md
extra_css:
  - assets/okrsite/okrsite.css
extra_javascript:
  - assets/okrsite/okrsite.js
markdown_extensions:
  - okrsite.zensical
"""

STEPS = ("mkdocs", "properdocs", "generate", "zensical cold", "zensical cached")
LABELS = {
    "mkdocs": "MkDocs, plugin (`mkdocs build`)",
    "properdocs": "ProperDocs, plugin (`properdocs build`)",
    "generate": "`okrsite generate` alone",
    "zensical cold": "Zensical, cold (`zensical build --clean`)",
    "zensical cached": "Zensical, with its cache (`zensical build`)",
    "total cold": "Zensical in all: generate + cold build",
    "total cached": "Zensical in all: generate + cached build",
}


@dataclass
class Step:
    """One timed command."""

    wall: float
    rss_mib: float
    log: str


@dataclass
class Output:
    """What a build left: its HTML files (relative paths) and its bytes."""

    pages: set[str]
    nbytes: int


@dataclass
class Results:
    """Every run of every step at one size."""

    walls: dict[str, list[float]] = field(default_factory=dict)
    rss: dict[str, list[float]] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)

    def add(self, name: str, step: Step) -> None:
        """Record one run of ``name`` (and say it on stderr, should a later step fail)."""
        print(f"  {name}: {step.wall:.1f} s, {step.rss_mib:.0f} MiB", file=sys.stderr, flush=True)
        self.walls.setdefault(name, []).append(step.wall)
        self.rss.setdefault(name, []).append(step.rss_mib)


def run(command: list[str], cwd: Path) -> Step:
    """Run ``command`` in ``cwd``: wall seconds and the peak RSS of its process, in MiB.

    ``os.wait4`` gives the child's own resource usage (its largest process, as
    ``RUSAGE_CHILDREN`` would, but for this child alone, not every child so far)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{text[-3000:]}")
    return Step(wall, usage.ru_maxrss / 1024, text)


def output(site: Path) -> Output:
    """The HTML files of a built site and the bytes of all its files."""
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    nbytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return Output(pages, nbytes)


def folder_bytes(folder: Path) -> int:
    """Bytes of every file under ``folder`` (0 when it does not exist)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def project(root: Path, org: Path) -> Path:
    """A project at ``root``: the organisation's goals, an empty docs folder, CONFIG."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(org / "goals", root / "goals")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return root


def plugin_build(engine: str, root: Path, results: Results) -> None:
    """One build of the plugin project with ``engine`` into its own site folder."""
    site = root / f"site-{engine}"
    command = [engine, "build", "-q", "-d", str(site)]
    if engine == "properdocs":
        command[2:2] = ["-f", "mkdocs.yml"]
    results.add(engine, run(command, root))
    results.outputs[engine] = output(site)


def exclude_from_search(docs: Path, pages: list[str]) -> None:
    """Put ``search: {exclude: true}`` into the front matter of generated ``pages``.

    Zensical refuses to build when one field of its search index holds more than a
    fixed number of words; --search-exclude names the pages that do, so the rest of
    the build can be measured."""
    for page in pages:
        path = docs / page
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            raise SystemExit(f"{path} has no front matter")
        path.write_text("---\nsearch:\n  exclude: true\n" + text[4:], encoding="utf-8")


def zensical_builds(root: Path, results: Results, search_exclude: list[str]) -> None:
    """okrsite generate into an empty docs folder, then a cold and a cached Zensical
    build: as a CI job that starts from a checkout, then a rebuild of the same files."""
    shutil.rmtree(root / "docs")
    (root / "docs").mkdir()
    shutil.rmtree(root / "site", ignore_errors=True)
    generated = run(["okrsite", "generate"], root)
    exclude_from_search(root / "docs", search_exclude)
    cold = run(["zensical", "build", "--clean"], root)
    results.outputs["zensical cold"] = output(root / "site")
    cached = run(["zensical", "build"], root)
    results.outputs["zensical cached"] = output(root / "site")
    for name, step in (
        ("generate", generated),
        ("zensical cold", cold),
        ("zensical cached", cached),
    ):
        results.add(name, step)
    results.walls.setdefault("total cold", []).append(generated.wall + cold.wall)
    results.walls.setdefault("total cached", []).append(generated.wall + cached.wall)
    results.rss.setdefault("total cold", []).append(max(generated.rss_mib, cold.rss_mib))
    results.rss.setdefault("total cached", []).append(max(generated.rss_mib, cached.rss_mib))
    results.outputs["generate"] = Output(set(), folder_bytes(root / "docs"))


def measure(size: int, work: Path, runs: int, search_exclude: list[str]) -> Results:
    """Every engine, ``runs`` times, on the organisation of ``size`` goals."""
    org = work / f"org{size}"
    if not (org / "goals").exists():
        generate(size, org)
    plugin = project(work / f"plugin{size}", org)
    zensical = project(work / f"zensical{size}", org)
    results = Results()
    order = ["mkdocs", "properdocs", "zensical"]
    for i in range(runs):
        for engine in order[i % 3 :] + order[: i % 3]:
            stamp = time.strftime("%H:%M:%S")
            print(f"{stamp} size {size}, run {i + 1}: {engine}", file=sys.stderr, flush=True)
            if engine == "zensical":
                zensical_builds(zensical, results, search_exclude)
            else:
                plugin_build(engine, plugin, results)
    results.outputs["zensical cache"] = Output(set(), folder_bytes(zensical / ".cache"))
    compare_pages(size, results)
    return results


def compare_pages(size: int, results: Results) -> None:
    """Say on stderr which HTML files one engine wrote and another did not."""
    base = results.outputs["mkdocs"].pages
    for name in ("properdocs", "zensical cold", "zensical cached"):
        pages = results.outputs[name].pages
        for label, paths in (("only in mkdocs", base - pages), (f"only in {name}", pages - base)):
            if paths:
                shown = ", ".join(sorted(paths)[:10])
                print(f"size {size}: {label}: {len(paths)} ({shown})", file=sys.stderr)


def stats(values: list[float]) -> str:
    """min / median / max, or the one value of a single run."""
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{min(values):.1f} / {statistics.median(values):.1f} / {max(values):.1f}"


def table(rows: dict[int, Results]) -> str:
    """The Markdown table of every size and step."""
    lines = [
        "| goals | engine, step | wall (s) | peak RSS (MiB) | HTML files | output (MB) |",
        "|---:|---|---|---:|---:|---:|",
    ]
    for size, results in rows.items():
        for name in (*STEPS, "total cold", "total cached"):
            out = results.outputs.get(name)
            pages = f"{len(out.pages):,}" if out and out.pages else ""
            nbytes = f"{out.nbytes / 1e6:,.0f}" if out else ""
            if name == "generate" and out:
                nbytes += " (docs folder)"
            lines.append(
                f"| {size:,} | {LABELS[name]} | {stats(results.walls[name])} | "
                f"{max(results.rss[name]):.0f} | {pages} | {nbytes} |"
            )
        cache = results.outputs["zensical cache"].nbytes / 1e6
        lines.append(f"| {size:,} | Zensical's cache folder (`.cache`) | | | | {cache:,.0f} |")
    return "\n".join(lines)


def main() -> None:
    """Parse the options, measure every size, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep the projects here")
    parser.add_argument(
        "--search-exclude",
        nargs="+",
        default=[],
        metavar="PAGE",
        help="generated pages (e.g. people/index.md) to keep out of Zensical's search index",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="okrsite-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = {size: measure(size, work, args.runs, args.search_exclude) for size in args.sizes}
    print(table(rows))


if __name__ == "__main__":
    main()
