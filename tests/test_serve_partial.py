"""`mkdocs serve` (`properdocs serve` with OKRSITE_TEST_ENGINE=properdocs) rebuilds only
the pages an edit of goal files changes: after each edit the site is, file by file, the
site a full build of the edited files makes (a full build run by the same server, so the
address and the theme are the same), and the files whose content did not change were
not written again.

Every edit is written whole (a new file moved into place), as an editor saving does:
a write the file watcher saw half-done would start a second build, under the test.

What legitimately differs: Material's search index (its plugin writes it at the end
of a full build only) and sitemap.xml.gz (a gzip header holds the time it was made).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from orgkit import ENGINE, ENV

REPO = Path(__file__).resolve().parent.parent
STALE = {"search/search_index.json", "sitemap.xml.gz"}
BUILT = re.compile(r"okrsite: (rebuilt|full build)")
RELOADED = "Reloading browsers"

MKDOCS_YML = """\
site_name: Partial rebuilds
theme: {name: material, font: false}
plugins:
  - search
  - okrsite: {today: TODAY}
"""


class Server:
    """A running `mkdocs serve` of ``root``: its log and the folder it builds into."""

    def __init__(self, root: Path):
        self.root = root
        self.log = root.parent / "serve.log"
        temp = root.parent / "tmp"
        temp.mkdir()
        with self.log.open("w", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", ENGINE, "serve", "-a", f"127.0.0.1:{_port()}"],
                cwd=root,
                env={**ENV, "TMPDIR": str(temp)},
                stdout=subprocess.DEVNULL,
                stderr=out,
            )
        assert self._wait(lambda text: "Serving on" in text, 300), self.text()
        (self.site,) = temp.glob(f"{ENGINE}_*")  # the folder it serves from

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def _wait(self, done: Callable[[str], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done(self.text()):
                return True
            time.sleep(0.2)
        return False

    def rebuild(self, change: Callable[[], None]) -> str:
        """Make ``change``, wait for the rebuild it causes to be over: 'rebuilt' or
        'full build'."""
        text = self.text()
        builds, reloads = len(BUILT.findall(text)), text.count(RELOADED)
        updates = text.count("okrsite: updated")
        change()

        def over(now: str) -> bool:
            kinds = BUILT.findall(now)
            if len(kinds) <= builds or now.count(RELOADED) <= reloads:
                return False
            return kinds[-1] == "full build" or now.count("okrsite: updated") > updates

        assert self._wait(over, 300), self.text()[-3000:]
        return BUILT.findall(self.text())[-1]

    def full_build(self) -> None:
        """A full build of the same files by the same server (mkdocs.yml touched): the
        one that names mkdocs.yml, so that no other build passes for it."""
        yml = self.root / "mkdocs.yml"
        marker = "okrsite: full build (mkdocs.yml changed)"
        builds = self.text().count(marker)
        _write(yml, yml.read_text(encoding="utf-8") + "\n")

        assert self._wait(lambda now: _anew(now, marker, builds), 300), self.text()[-3000:]

    def looks_again(self, path: Path) -> None:
        """Move a copy of ``path`` of the same size and time onto it: the file watcher
        sees a new file, okrsite nothing changed. No page is built or written again."""
        before = _files(self.site)
        marker = "okrsite: nothing changed since the last build"
        text = self.text()
        builds, seen = len(BUILT.findall(text)), text.count(marker)
        copy = self.root.parent / "same.tmp"
        shutil.copy2(path, copy)  # its modification time too
        os.replace(copy, path)

        def over(now: str) -> bool:
            return len(BUILT.findall(now)) > builds or _anew(now, marker, seen)  # built: wrong

        assert self._wait(over, 300), self.text()[-3000:]
        assert len(BUILT.findall(self.text())) == builds, self.text()[-2000:]
        assert _files(self.site) == before


def _anew(log: str, line: str, seen: int) -> bool:
    """Whether ``log`` holds ``line`` more than ``seen`` times, the browsers reloaded
    after the last."""
    return log.count(line) > seen and RELOADED in log[log.rfind(line) :]


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _files(site: Path) -> dict[str, tuple[bytes, int, int]]:
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            st = path.stat()
            out[path.relative_to(site).as_posix()] = (path.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


@contextlib.contextmanager
def _serving(root: Path) -> Iterator[Server]:
    server = Server(root)
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
    assert "Traceback" not in server.text()


def _write(path: Path, text: str) -> None:
    """Write ``path`` whole at once: made beside the site's folder (not watched), moved
    into place."""
    root = next(p for p in path.parents if (p / "mkdocs.yml").exists())
    temp = root.parent / "edit.tmp"
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _edit(path: Path, old: str, new: str, count: int = 1) -> Callable[[], None]:
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        _write(path, text.replace(old, new, count))

    return change


def _check(
    server: Server,
    change: Callable[[], None],
    expected: str | None,
    changed: tuple[str, ...] = (),
) -> None:
    """The edit rebuilds as ``expected``; the site is then the full build's, and the
    files a partial rebuild left alone are untouched. ``expected`` None: either (a
    KPI is shown by so many pages of a small site that a full build may be chosen).
    ``changed``: files of the site the edit must change (that show what it changed)."""
    before = _files(server.site)
    kind = server.rebuild(change)
    assert expected in (None, kind), server.text()[-2000:]
    partial = _files(server.site)
    for name in changed:
        assert before[name][0] != partial[name][0], f"{name} does not show the edit"
    if kind == "rebuilt":
        for name, (content, mtime, inode) in partial.items():
            if name in before and before[name][0] == content:
                assert (mtime, inode) == before[name][1:], f"{name} was written again"
        assert any(before.get(n, (b"",))[0] != c for n, (c, _, _) in partial.items())
    server.full_build()
    full = _files(server.site)
    assert partial.keys() == full.keys()
    differ = [n for n in full if n not in STALE and partial[n][0] != full[n][0]]
    assert not differ, f"differs from a full build: {differ[:10]}"


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(REPO / "goals", root / "goals")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace("TODAY", "2026-11-22"))
    return root


def test_edits_of_the_example_rebuild_what_a_full_build_makes(tmp_path: Path):
    root = _example(tmp_path)
    goals = root / "goals"
    zoe = goals / "2026-Q4/people/zoe.yaml"
    growth = goals / "2026-Q4/growth.yaml"
    with _serving(root) as server:
        # a goal's check-in, twice in a row (the second partial starts from the first)
        goal_page = "goals/2026-q4/zoe/activation-experiments/index.html"
        _check(server, _edit(zoe, "value: 47.5", "value: 47.9"), "rebuilt", (goal_page,))
        _check(server, _edit(zoe, "value: 47.9", "value: 48.2"), "rebuilt", (goal_page,))
        # a goal's title: its page, its owner's and the objective it supports show it
        _check(
            server,
            _edit(zoe, "title: Run onboarding", "title: Try onboarding"),
            "rebuilt",
            (goal_page, "people/zoe/index.html", "okrs/2026-q4/onboarding/effortless/index.html"),
        )
        # a key result's target
        _check(server, _edit(growth, "target: 14", "target: 15"), "rebuilt")
        # an objective's title
        _check(
            server,
            _edit(growth, "Make the product irresistible", "Make the product unmissable"),
            "rebuilt",
        )
        # a KPI's value and its threshold
        kpis = goals / "kpis.yaml"
        _check(server, _edit(kpis, "value: 3.4}", "value: 5.4}"), None)
        _check(server, _edit(kpis, "alert: 5.0", "alert: 3.0"), None)
        # a goal's owner: another person's goal now (its page moves: a full build)
        _check(server, _edit(zoe, "owner: zoe", "owner: omar"), "full build")
        _check(server, _edit(zoe, "owner: omar", "owner: zoe"), "full build")
        # a key result's check-in added; a check-in that moves a key result to another
        # state, so that the overview's and the period's groups change
        trial = "- {date: 2026-11-16, value: 12.9, confidence: 0.7}"
        added = trial + "\n          - {date: 2026-11-20, value: 13.1, confidence: 0.7}"
        _check(
            server,
            _edit(growth, trial, added),
            None,
            ("okrs/2026-q4/growth/irresistible-trials/index.html",),
        )
        _check(
            server,
            _edit(growth, "value: 13.1, confidence: 0.7}", "value: 14.5, confidence: 0.9}"),
            None,
            ("index.html", "periods/2026-q4/index.html"),
        )
        # a new goal, a deleted goal, a goal made private: pages come and go
        text = zoe.read_text(encoding="utf-8")
        _check(server, lambda: _write(zoe, text + NEW_GOAL), "full build")
        new_page = server.site / "goals/2026-q4/zoe/fewer-steps/index.html"
        assert "Cut the onboarding flow" in new_page.read_text(encoding="utf-8")
        _check(server, lambda: _write(zoe, text), "full build")
        assert not new_page.exists()
        _check(
            server,
            _edit(zoe, "status: open", "status: open\n    visibility: private"),
            "full build",
        )
        # a team renamed
        org = goals / "org.yaml"
        _check(server, _edit(org, "name: Onboarding", "name: Activation"), "rebuilt")
        # a private goal now supports a key result: only counted there, so the edit
        # cannot name the pages it changes (a full build)
        chloe = goals / "2026-Q4/people/chloe.yaml"
        _check(
            server,
            _edit(
                chloe,
                "    metric: Evidence collected",
                "    supports: customer-success/expansion/expansion-arr\n"
                "    metric: Evidence collected",
            ),
            "full build",
        )
        # a broken file, then fixed: the banner on every page, then gone
        good = growth.read_text(encoding="utf-8")
        _check(server, lambda: _write(growth, good + "tagret: 1\n"), "full build")
        assert "okr-broken" in (server.site / "index.html").read_text(encoding="utf-8")
        _check(server, lambda: _write(growth, good), "full build")
        assert "okr-broken" not in (server.site / "index.html").read_text(encoding="utf-8")


NEW_GOAL = """\
  - id: fewer-steps
    title: Cut the onboarding flow from 7 steps to 4 for new trial users
    supports: onboarding/effortless/activation-7d
    metric: Onboarding steps
    baseline: 7
    target: 4
    due: 2026-12-11
    achievable: A prototype with 4 steps tested well in Q3.
    status: open
"""


def test_edits_of_a_generated_organisation(tmp_path: Path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path / "site"
    generate(200, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.replace("TODAY", "2026-09-20"))
    (root / "docs").mkdir(exist_ok=True)
    person = sorted((root / "goals").rglob("people/*.yaml"))[0]
    with _serving(root) as server:
        _check(server, _edit(person, "title: ", "title: Edited "), "rebuilt")
        server.looks_again(person)
        _check(server, _edit(person, "target: ", "target: 1"), "rebuilt")
        kpis = root / "goals/kpis.yaml"
        alert = re.search(r"alert: ([\d.]+)", kpis.read_text(encoding="utf-8"))
        assert alert is not None
        _check(server, _edit(kpis, alert[0], "alert: 1"), None)
