"""`mkdocs serve` watches goals_dir: editing a goal file rebuilds the site, and the
rebuilds do not pile up memory."""

from __future__ import annotations

import gc
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from okrsite.loader import load

from orgkit import ENV, FILES, write_site

GOALS = Path(__file__).resolve().parent.parent / "goals"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body and text in body:
            return True
        time.sleep(0.3)
    return False


def test_editing_a_goal_file_rebuilds(tmp_path: Path):
    root = write_site(tmp_path, FILES)
    port = _free_port()
    server = subprocess.Popen(
        ["mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/okrs/2026-q3/growth/trials/"
    try:
        assert _wait_for(url, "Make the product irresistible during trials", 60)
        path = root / "goals/2026-Q3/growth.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "Make the product irresistible during trials", "Make trials impossible to leave"
            ),
            encoding="utf-8",
        )
        assert _wait_for(url, "Make trials impossible to leave", 60), "no rebuild after the edit"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_each_load_lets_the_previous_organisation_go():
    """A load freezes what it made for the garbage collector (so full collections
    stop rescanning it); the next load must let the old organisation be collected,
    or every serve rebuild would keep one more organisation alive, forever."""
    gc.collect()
    gc.freeze()
    before = gc.get_freeze_count()
    gc.unfreeze()
    frozen = []
    try:
        for _ in range(4):
            load(GOALS)  # the result is dropped at once, as a rebuild drops the old one
            frozen.append(gc.get_freeze_count())
    finally:
        gc.unfreeze()
    one_load = frozen[0] - before
    assert one_load > 5000  # an organisation, its files and models
    # (the first load also leaves the garbage of imports; from the second on, flat)
    assert frozen[3] - frozen[1] < one_load / 10, frozen
