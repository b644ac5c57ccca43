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
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--compare-to", default=None, metavar="REF")
    args = parser.parse_args()
    org = (args.work or Path(tempfile.mkdtemp(prefix="okrsite-serve-"))) / f"org{args.goals}"
    if not (org / "goals").exists():
        generate(args.goals, org)
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
