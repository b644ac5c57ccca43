"""The check `okrsite import` makes before it writes (the goals folder as the import
would leave it, loaded) says what `okrsite validate` says about what is already in the
folder, and reads nothing more than validate: not through a link, not past the size
limit, not from a pipe or a device. Also: `export csv -o` writes through no link, and
a dry run without --force says which errors only --force would meet."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_import_site import HEADER, TODAY, do_import, init_site, validate

from okrsite.commands.cli import main
from okrsite.commands.importcheck import PlannedFilesError, check_planned
from okrsite.commands.writeplan import Plan
from okrsite.limits import MAX_FILE_BYTES

ROW = "2026-Q4,Sales,Win more deals,Sam Lee,Close 10 deals,,2,10,"
SECRET = "SECRET-TOKEN-123"
KPI = "kpis:\n  - {id: churn, name: Churn, unit: '%', direction: down, history_file: h.csv}\n"


def error_lines(text: str, path: str) -> list[str]:
    """The lines of ``text`` that are diagnostics of ``path``, without indentation."""
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith(path))


def same_as_validate(capsys: pytest.CaptureFixture[str], path: str, *extra: str) -> list[str]:
    """Run validate, then `import --dry-run`: the import's lines about ``path`` are
    validate's (its errors; notes are validate's alone); return them."""
    _status, said = validate(capsys)
    expected = [line for line in error_lines(said, path) if ": not read: only .yaml" not in line]
    _status, out = do_import(capsys, [ROW], "--dry-run", *extra)
    got = error_lines("\n".join(out), path)
    assert got == expected, (said, out)
    assert not any(SECRET in line for line in out)
    return got


def outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(f"date,value\n{SECRET},1\n", encoding="utf-8")
    return secret


def test_a_history_link_to_a_file_outside_is_refused_as_validate_does(
    tmp_path, monkeypatch, capsys
):
    """The reviewer's s9: the dry run printed the outside file's cells."""
    site = init_site(tmp_path, monkeypatch)
    (site / "goals" / "h.csv").symlink_to(outside_secret(tmp_path))
    (site / "goals" / "kpis.yaml").write_text(KPI, encoding="utf-8")
    assert same_as_validate(capsys, "goals/kpis.yaml")


def test_a_goal_file_link_to_a_file_outside_is_refused_as_validate_does(
    tmp_path, monkeypatch, capsys
):
    site = init_site(tmp_path, monkeypatch)
    secret = outside_secret(tmp_path).with_name("team.yaml")
    secret.write_text(f"period: 2026-Q4\nteam: {SECRET}\n", encoding="utf-8")
    (site / "goals" / "team.yaml").symlink_to(secret)
    assert same_as_validate(capsys, "goals/team.yaml")


def test_a_link_to_a_folder_is_refused_as_validate_does(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    folder = outside_secret(tmp_path).parent
    (folder / "x.yaml").write_text(f"period: 2026-Q4\nteam: {SECRET}\n", encoding="utf-8")
    (site / "goals" / "more").symlink_to(folder, target_is_directory=True)
    assert same_as_validate(capsys, "goals/more")


def test_a_link_to_a_file_inside_is_read_as_validate_reads_it(tmp_path, monkeypatch, capsys):
    """Validate reads a link inside the folder as the file it leads to, once for each
    name: a copy that made it a plain file could disagree."""
    site = init_site(tmp_path, monkeypatch)
    (site / "goals" / "real.csv").write_text("date,value\n2026-10-01,oops\n", encoding="utf-8")
    (site / "goals" / "h.csv").symlink_to("real.csv")
    (site / "goals" / "kpis.yaml").write_text(KPI, encoding="utf-8")
    assert same_as_validate(capsys, "goals/")


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("h.csv", ".kept/real.csv"),  # into a hidden folder, which the walk skips
        ("h.csv", "h.csv"),  # a loop of one link
        ("h.csv", "../goals/h.csv"),  # a loop through the folder's name
        ("h.csv", "nothing.csv"),  # a link to nothing
    ],
)
def test_links_inside_are_met_as_validate_meets_them(tmp_path, monkeypatch, capsys, name, target):
    site = init_site(tmp_path, monkeypatch)
    (site / "goals" / ".kept").mkdir()
    (site / "goals" / ".kept" / "real.csv").write_text(
        "date,value\n2026-10-01,oops\n", encoding="utf-8"
    )
    (site / "goals" / name).symlink_to(target)
    (site / "goals" / "kpis.yaml").write_text(KPI, encoding="utf-8")
    assert same_as_validate(capsys, "goals/")


def test_an_oversized_history_file_gets_the_loaders_message(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    with open(site / "goals" / "h.csv", "wb") as handle:  # sparse: nothing on disk
        handle.truncate(MAX_FILE_BYTES * 500)
    (site / "goals" / "kpis.yaml").write_text(KPI, encoding="utf-8")
    assert same_as_validate(capsys, "goals/kpis.yaml")


def test_an_oversized_goal_file_gets_the_loaders_message(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    with open(site / "goals" / "big.yaml", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES * 500)
    assert same_as_validate(capsys, "goals/big.yaml")


@pytest.mark.parametrize("kind", ["fifo", "link-to-fifo", "dev-zero", "dev-null"])
def test_a_pipe_or_a_device_is_refused_and_never_opened(tmp_path, kind):
    """The reviewer's s8 (a link to /dev/zero: the check hung and filled /tmp). Run as a
    process with a deadline: opening a pipe with no writer waits for ever."""
    assert main(["init", str(tmp_path / "site"), "--today", TODAY]) == 0
    goals = tmp_path / "site" / "goals"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    target = {"fifo": None, "link-to-fifo": fifo, "dev-zero": "/dev/zero", "dev-null": "/dev/null"}
    if target[kind] is None:
        os.mkfifo(goals / "h.csv")
    else:
        (goals / "h.csv").symlink_to(target[kind])
    (goals / "kpis.yaml").write_text(KPI, encoding="utf-8")
    (tmp_path / "site" / "okrs.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    cli = [sys.executable, "-m", "okrsite.commands.cli"]
    runs = [["validate"], ["import", "okrs.csv", "--dry-run"]]
    said = [
        subprocess.run(
            [*cli, *args, "--today", TODAY],
            cwd=tmp_path / "site",
            env={**os.environ, "TMPDIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        for args in runs
    ]
    expected = error_lines(said[0].stdout + said[0].stderr, "goals/kpis.yaml")
    assert expected, said[0]
    assert error_lines(said[1].stdout + said[1].stderr, "goals/kpis.yaml") == expected, said[1]
    assert said[1].returncode != 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("okrsite-import")] == []


# --- 7(a): export writes through no link ---------------------------------------------


def test_export_with_force_does_not_write_through_a_link(tmp_path, monkeypatch, capsys):
    site = init_site(tmp_path, monkeypatch)
    assert do_import(capsys, [ROW])[0] == 0
    secret = outside_secret(tmp_path)
    before = secret.read_bytes()
    (site / "okrs-out.csv").symlink_to(secret)
    capsys.readouterr()
    status = main(["export", "csv", "-o", "okrs-out.csv", "--force", "--today", TODAY])
    err = capsys.readouterr().err
    assert status != 0
    assert "link" in err, err
    assert secret.read_bytes() == before
    assert (site / "okrs-out.csv").is_symlink()
    # a plain file is still overwritten with --force
    (site / "plain.csv").write_text("old\n", encoding="utf-8")
    assert main(["export", "csv", "-o", "plain.csv", "--force", "--today", TODAY]) == 0
    assert "old" not in (site / "plain.csv").read_text(encoding="utf-8")


# --- 7(b): a dry run says which errors only --force would meet -----------------------

GOALS = HEADER + ",goal,goal_owner"


def test_a_dry_run_labels_the_errors_only_force_would_meet(tmp_path, monkeypatch, capsys):
    init_site(tmp_path, monkeypatch)
    assert do_import(capsys, [ROW + ",Call 40 leads,Ana Ruiz"], header=GOALS)[0] == 0
    other = "2026-Q4,Sales,Grow,Sam Lee,Win 5 deals,,1,5,"
    status, out = do_import(capsys, [other], "--dry-run")
    assert status != 0
    text = "\n".join(out)
    assert "with --force, the goal files would have 1 error" in text, out
    assert "okrsite: the goal files would have" not in text, out
    # the plain import meets no such error: it refuses the file that needs --force
    status, plain = do_import(capsys, [other])
    assert status != 0
    assert not any("would have" in line for line in plain), plain
    # with --force the dry run says it as the forced import does, unlabelled
    status, forced = do_import(capsys, [other], "--dry-run", "--force")
    assert any(line.startswith("okrsite: the goal files would have 1 error") for line in forced)


def test_the_check_writes_nothing_through_a_linked_period_folder(tmp_path, monkeypatch):
    """The planned goals/2026-Q4/sales.yaml lands in a real folder of the check's copy,
    never through the link into the folder it leads to (the import refuses such a
    goals folder before: this is the check's own guard)."""
    site = init_site(tmp_path, monkeypatch)
    outside = tmp_path / "outside"
    shutil.move(site / "goals" / "2026-Q4", outside)
    before = sorted(p.name for p in outside.iterdir())
    (site / "goals" / "2026-Q4").symlink_to(outside, target_is_directory=True)
    plan = Plan(files={site / "goals" / "2026-Q4" / "sales.yaml": "period: 2026-Q4\n"})
    with pytest.raises(PlannedFilesError):
        check_planned(site / "goals", plan, 1)
    assert sorted(p.name for p in outside.iterdir()) == before
