"""Time `mkdocs serve` rebuilds after a goal-file edit.

    python benchmarks/serve.py --goals 1000 --edits 3
    python benchmarks/serve.py --goals 1000 --edits 20 --compare-to HEAD

Generates the organisation (or reuses ``--work``), starts ``mkdocs serve``, waits for
the first build, then edits one goal file ``--edits`` times, each time waiting for the
rebuild that the edit triggers. Prints, for the first build and each rebuild, the wall
time MkDocs reports ("Documentation built in N seconds"), okrsite's own phases and the
server's resident memory (VmRSS), so that memory growing with the number of rebuilds
shows. The issue's target: a rebuild in under 2x the plugin's phases plus Material's
render, which is the time of a build; so the ratio printed is rebuild / first build.

``--compare-to REF`` serves a preview (the organisation is committed to a git
repository first, so every rebuild also diffs against REF, as a preview in CI does).

``--browser`` measures what an editor sees instead (:func:`edit_to_visible`, callable
from benchmarks/run.py): headless Chromium shows the page of one goal and the page of the
objective it supports, the script changes the goal's title in its file, and the time
from the write until each page in the browser shows the new title (MkDocs' livereload
reloads it) is taken, ``--edits`` times; median, max and the server's memory.
"""

from __future__ import annotations

import argparse
import functools
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
PHASES = re.compile(r"time in okrsite: (.*)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> int:
    """Resident memory of a process in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0


def _commit(org: Path) -> None:
    """Make ``org`` a git repository with everything committed, once."""
    if (org / ".git").exists():
        return
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=org, check=True)
    subprocess.run([*git, "add", "-A"], cwd=org, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "organisation"], cwd=org, check=True)


CHROMIUM = "/usr/bin/chromium"
GOAL = re.compile(r"^  - id: (\S+)\n    title: (.+)\n    supports: (\S+)/(\S+)/\S+$", re.M)


def edit_to_visible(org: Path, edits: int = 5, pause: float = 8.0) -> dict[str, Any]:
    """Serve ``org`` (a folder with mkdocs.yml and goals/) with `mkdocs serve`, show the
    page of its first goal and of the objective it supports in headless Chromium, change
    the goal's title ``edits`` times, ``pause`` s after the last change showed, and time each
    change from the write of the file to the new title in each page. Returns seconds
    per edit for each page (``goal``, ``objective``) and until the server tells the
    browsers to reload (``server``), their median and max, how each rebuild went (the
    server's log line) and the server's resident memory in MiB after the edits
    (``rss_mib``)."""
    from playwright.sync_api import sync_playwright

    target = next(iter(sorted((org / "goals").rglob("people/*.yaml"))))
    original = target.read_text(encoding="utf-8")
    found = GOAL.search(original)
    period = re.search(r"^period: (\S+)", original, re.M)
    owner = re.search(r"^owner: (\S+)", original, re.M)
    if found is None or period is None or owner is None:
        raise SystemExit(f"{target}: no goal of the expected shape")
    goal_id, title, team, objective = found.groups()
    key = period[1].lower()
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    pages = {
        "goal": f"{base}goals/{key}/{owner[1]}/{goal_id}/",
        "objective": f"{base}okrs/{key}/{team}/{objective}/",
    }
    path = org / "serve-benchmark.log"
    with path.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            ["mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=org,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.DEVNULL,
            stderr=out,
        )
    # "server": from the write to the server's "Reloading browsers" (its log line)
    times: dict[str, list[float]] = {name: [] for name in [*pages, "server"]}
    builds: list[str] = []
    try:
        log = _Log(path)
        _wait_for(functools.partial(_serving, log), 1800)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            tabs = {name: browser.new_page() for name in pages}
            for name, tab in tabs.items():
                tab.goto(pages[name], timeout=120_000)
                if title not in tab.inner_text("body"):
                    raise SystemExit(f"{pages[name]} does not show '{title}'")
            for i in range(edits):
                new = f"Edit {i} {time.time_ns()} of {title}"
                # An editor reads the page before saving again (and the reloaded pages
                # listen to the server again).
                time.sleep(pause)
                log.read()
                done = log.reloads
                start = time.perf_counter()
                target.write_text(original.replace(title, new, 1), encoding="utf-8")
                waiting = {*tabs, "server"}
                while waiting:
                    if "server" in waiting and _reloaded_since(log, done):
                        times["server"].append(time.perf_counter() - start)
                        waiting.discard("server")
                    for name in waiting & set(tabs):
                        if _shows(tabs[name], new):
                            times[name].append(time.perf_counter() - start)
                            waiting.discard(name)
                    if time.perf_counter() - start > 600:
                        raise SystemExit(f"edit {i}: not shown after 600 s")
                    time.sleep(0.02)
                _wait_for(functools.partial(_reloaded_since, log, done), 60)
                builds.append(log.build)
            browser.close()
        rss = _rss(server.pid)
    finally:
        target.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=60)
    result: dict[str, Any] = {"edits": edits, "pause": pause, "builds": builds, "rss_mib": rss}
    for name, seconds in times.items():
        result[name] = seconds
        result[f"{name}_median"] = statistics.median(seconds)
        result[f"{name}_max"] = max(seconds)
    return result


class _Log:
    """The server's log as it grows, read from where the last look stopped (at 10,000
    goals it holds megabytes of warnings: reading it whole while timing would take
    the server's processor): how many reloads it announced, its last build line."""

    def __init__(self, path: Path):
        self.path, self.seen, self.rest = path, 0, ""
        self.reloads, self.serving, self.build = 0, False, ""

    def read(self) -> None:
        with self.path.open("rb") as f:
            f.seek(self.seen)
            new = f.read()
        self.seen += len(new)
        *lines, self.rest = (self.rest + new.decode("utf-8", "replace")).split("\n")
        for line in lines:
            self.reloads += "Reloading browsers" in line
            self.serving = self.serving or "Serving on" in line
            if match := re.search(r"okrsite: (rebuilt .*|full build .*)", line):
                self.build = match[1]


def _serving(log: _Log) -> bool:
    log.read()
    return log.serving


def _reloaded_since(log: _Log, reloads: int) -> bool:
    log.read()
    return log.reloads > reloads


def _shows(tab: Any, text: str) -> bool:
    """Whether the page in ``tab`` shows ``text`` now (False while it reloads)."""
    try:
        return bool(tab.evaluate("t => document.body.innerText.includes(t)", text))
    except Exception:  # the page is navigating: its context is gone for a moment
        return False


def _wait_for(done: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("the server did not get there in time")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--compare-to", default=None, metavar="REF")
    parser.add_argument("--browser", action="store_true", help="time edit to visible")
    parser.add_argument("--pause", type=float, default=8.0, help="seconds between edits")
    args = parser.parse_args()
    org = (args.work or Path(tempfile.mkdtemp(prefix="okrsite-serve-"))) / f"org{args.goals}"
    if not (org / "goals").exists():
        generate(args.goals, org)
    if args.browser:
        result = edit_to_visible(org, args.edits, args.pause)
        for name in ("goal", "objective", "server"):
            shown = ", ".join(f"{s:.2f}" for s in result[name])
            print(
                f"{name} page: edit to visible median {result[f'{name}_median']:.2f} s, "
                f"max {result[f'{name}_max']:.2f} s ({shown})"
            )
        print(f"server memory after {args.edits} edits: {result['rss_mib']} MiB")
        for line in result["builds"]:
            print(f"  {line}")
        return
    target = next(iter(sorted((org / "goals").rglob("people/*.yaml"))))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if args.compare_to:
        _commit(org)
        env["OKRSITE_COMPARE_TO"] = args.compare_to
    server = subprocess.Popen(
        ["mkdocs", "serve", "-a", f"127.0.0.1:{_free_port()}"],
        cwd=org,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(x) for x in server.stderr or ()], daemon=True
    ).start()

    def next_build() -> tuple[float, str]:
        phases = ""
        while True:
            line = lines.get(timeout=600)
            if match := PHASES.search(line):
                phases = match[1]
            if match := BUILT.search(line):
                return float(match[1]), phases

    try:
        first, phases = next_build()
        print(f"first build: {first:.2f} s ({phases}); {_rss(server.pid)} MiB")
        # The watcher starts only once the server is up: an earlier edit goes unseen.
        while "Serving on" not in lines.get(timeout=600):
            pass
        time.sleep(1)
        rebuilds = []
        memory = []
        original = target.read_text(encoding="utf-8")
        for i in range(args.edits):
            # A real edit: a goal's title changes, so pages must change too.
            target.write_text(original.replace("title: ", f"title: Edit {i} ", 1), "utf-8")
            seconds, phases = next_build()
            rebuilds.append(seconds)
            memory.append(_rss(server.pid))
            print(
                f"rebuild {i + 1} after editing {target.name}: {seconds:.2f} s ({phases}); "
                f"{memory[-1]} MiB"
            )
        target.write_text(original, encoding="utf-8")
        print(
            f"median rebuild / first build: {statistics.median(rebuilds) / first:.2f}x "
            "(target: under 2x)"
        )
        half = len(memory) // 2
        if half:
            # The first rebuilds warm caches up; growth after them is what accumulates.
            print(
                f"memory: {memory[0]} MiB after rebuild 1, {memory[half]} after rebuild "
                f"{half + 1}, {memory[-1]} after rebuild {len(memory)}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
