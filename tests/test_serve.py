"""`mkdocs serve` watches goals_dir: editing a goal file rebuilds the site, and the
rebuilds do not pile up memory: what a build freezes for the garbage collector is
unfrozen when it ends."""

from __future__ import annotations

import contextlib
import gc
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from okrsite.source.loader import load

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


@contextlib.contextmanager
def _serving(root: Path) -> Iterator[str]:
    """`mkdocs serve` of the site in ``root``, for as long as the block runs: its
    address. Its log goes to ``root/serve.log`` (outside what serve watches); afterwards
    the test checks that no traceback reached it."""
    port = _free_port()
    log = root / "serve.log"
    with log.open("w", encoding="utf-8") as terminal:
        server = subprocess.Popen(
            ["mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            text=True,
        )
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _logged(log: Path, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in log.read_text(encoding="utf-8"):
            return True
        time.sleep(0.3)
    return False


def test_editing_a_goal_file_rebuilds(tmp_path: Path):
    root = write_site(tmp_path, FILES)
    with _serving(root) as address:
        url = f"{address}/okrs/2026-q3/growth/trials/"
        assert _wait_for(url, "Make the product irresistible during trials", 60)
        path = root / "goals/2026-Q3/growth.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "Make the product irresistible during trials", "Make trials impossible to leave"
            ),
            encoding="utf-8",
        )
        assert _wait_for(url, "Make trials impossible to leave", 60), "no rebuild after the edit"


def test_a_broken_edit_shows_on_the_open_page_until_it_is_fixed(tmp_path: Path):
    """Under `mkdocs serve`, an edit that breaks a goal file does not leave the browser
    waiting on a failed rebuild: the page reloads, showing the error where it is (and
    the goals as they were), and the save that fixes it brings the change."""
    root = write_site(tmp_path, FILES)
    path = root / "goals/2026-Q3/growth.yaml"
    good = path.read_text(encoding="utf-8")
    with _serving(root) as address:
        url = f"{address}/okrs/2026-q3/growth/trials/"
        assert _wait_for(url, "Make the product irresistible during trials", 60)
        path.write_text(good.replace("owner: ", "owner: nobody-<b>x</b>  # ", 1), encoding="utf-8")
        assert _wait_for(url, 'class="admonition failure okr-broken"', 60), "no banner"
        body = _get(url) or ""
        assert "goals/2026-Q3/growth.yaml:" in body
        assert "nobody-&lt;b&gt;x&lt;/b&gt;" in body and "<b>x</b>" not in body
        assert "Make the product irresistible during trials" in body  # the last good build
        # Pages okrsite does not make say it too: the whole site is in that state.
        assert 'class="admonition failure okr-broken"' in (_get(f"{address}/") or "")
        path.write_text(good.replace("during trials", "during every trial"), encoding="utf-8")
        assert _wait_for(url, "Make the product irresistible during every trial", 60)
        assert "okr-broken" not in (_get(url) or "")


def test_a_changed_mkdocs_yml_forgets_the_last_good_build(tmp_path: Path):
    """Under serve, mkdocs.yml pointed at another goals folder that does not load: the
    rebuild fails (in the terminal), never shows the old folder's goals as this one's."""
    root = write_site(tmp_path, FILES)
    broken = root / "other" / "2026-Q3" / "growth.yaml"
    shutil.copytree(root / "goals", root / "other")
    broken.write_text(broken.read_text(encoding="utf-8") + "tagret: 1\n", encoding="utf-8")
    with _serving(root) as address:
        url = f"{address}/okrs/2026-q3/growth/trials/"
        assert _wait_for(url, "Make the product irresistible during trials", 60)
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("today:", "goals_dir: other, today:"), encoding="utf-8")
        assert _logged(root / "serve.log", "other/2026-Q3/growth.yaml", 60)
        time.sleep(2)  # a rebuild that went on would reload the page by now
        assert "okr-broken" not in (_get(url) or "")


def test_load_leaves_the_collector_as_it_found_it():
    """Freezing and pausing the collector are process-wide, so they belong to the plugin
    and the pipeline: load() leaves the collector as it found it."""
    before, enabled = gc.get_freeze_count(), gc.isenabled()
    load(GOALS)
    assert gc.get_freeze_count() == before and gc.isenabled() == enabled


# A real MkDocs hook: it notes how many objects are frozen while each page renders,
# and fails the build on request, to check the plugin's on_build_error.
HOOK = """\
import gc
from pathlib import Path

def on_page_content(html, **kwargs):
    here = Path(__file__).parent
    with open(here / "frozen.txt", "a") as out:
        out.write(f"{gc.get_freeze_count()}\\n")
    if (here / "fail").exists():
        raise RuntimeError("the hook fails this build")
    return html
"""


def test_a_build_freezes_the_organisation_while_pages_render_and_not_after(tmp_path):
    """The plugin freezes what its load made (collections during the render skip the
    organisation) and unfreezes when the build ends or fails, so a later build, or
    the next rebuild of `mkdocs serve`, finds nothing frozen from this one."""
    root = write_site(tmp_path, FILES)
    (root / "hook.py").write_text(HOOK, encoding="utf-8")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "hooks: [hook.py]\n", encoding="utf-8")
    assert gc.get_freeze_count() == 0
    mkdocs_build(load_config(str(yml)))  # in this process, so its gc state is ours
    frozen = [int(n) for n in (root / "frozen.txt").read_text().split()]
    assert frozen and min(frozen) > 1000
    assert gc.get_freeze_count() == 0
    (root / "fail").touch()
    with pytest.raises(RuntimeError, match="the hook fails this build"):
        mkdocs_build(load_config(str(yml)))
    assert gc.get_freeze_count() == 0


def test_after_load_runs_before_the_diff_loads_both_sides(tmp_path):
    """The plugin freezes what a build keeps alive in pipeline.run's after_load: when it
    runs, the organisation's key results are the only ones alive, not those of the two
    organisations the diff against
    compare_to loads and drops (the collector is paused throughout, so those would still
    be there, and be frozen for the whole render)."""
    import datetime as dt

    from okrsite import pipeline, settings
    from okrsite.model.graph import KeyResult
    from okrsite.model.queries import all_key_results

    root = write_site(tmp_path, FILES)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "goals"], cwd=root, check=True)

    def key_results_alive() -> int:
        return sum(isinstance(o, KeyResult) for o in gc.get_objects())

    alive: list[int] = []
    gc.collect()
    earlier = key_results_alive()  # other tests' organisations may still be referenced
    outcome = pipeline.run(
        root / "goals",
        settings.DEFAULTS,
        dt.date(2026, 8, 1),
        compare_to="HEAD",
        after_load=lambda: alive.append(key_results_alive() - earlier),
    )
    assert outcome.diff is not None
    assert alive == [len(list(all_key_results(outcome.org)))]
