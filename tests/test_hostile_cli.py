"""Hostile input to `okrsite init`, `okrsite new-period` and `okrsite pdf`'s Chromium
lookup: names that are YAML, Markdown or HTML syntax, periods and team ids that are
paths, targets that are files, folders, links or pipes, and a Chromium that is none.
Each ends in the safe result or in our one-line message (exit 2), never a traceback."""

from __future__ import annotations

import html
import os
import stat
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from okrsite.commands.cli import main
from okrsite.limits import MAX_TITLE
from okrsite.model.periods import PERIOD_HINT, YEAR_HINT
from okrsite.source.fileformat import ID_MAX
from okrsite.source.loader import load

from orgkit import FILES, build, write_site

PERIOD_ERROR = f"is not a period: {PERIOD_HINT}; {YEAR_HINT}"
TEAM_ERROR = (
    f"is not a team id: lowercase letters, digits and '-', at most {ID_MAX}, "
    "e.g. --team customer-success"
)
CHROMIUM_FIX = "set it to a Chromium or Chrome executable, or unset it to use chromium from PATH"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``okrsite ARGS`` in tmp_path; return (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


# --- init --name ----------------------------------------------------------------------

NAMES = [
    "Acme: Cloud",  # a YAML mapping in a plain scalar
    "#1 Bakery",  # a YAML comment / Markdown heading
    "[Acme]",  # a YAML flow sequence / Markdown link text
    "{Acme}",  # a YAML flow mapping
    "&Co",  # a YAML anchor
    "*x",  # a YAML alias
    "!Acme",  # a YAML tag
    "yes",  # a YAML 1.1 boolean
    "null",
    "0755",  # a YAML 1.1 octal number
    "1e3",
    "2026-07-01",  # a YAML date
    "- Acme",  # a YAML list item / Markdown list
    'say "hi"',  # double quotes
    "O'Brien's",  # single quotes
    "back\\slash \\n",  # backslashes, and one that looks like an escape
    "Зоя и партнёры",  # Cyrillic
    "東京 株式会社",  # CJK
    "شركة أكمي",  # Arabic, right to left
    "🚀 Rocket 👩\u200d👩\u200d👧",  # emoji, a zero-width joiner sequence
    "Zoë & Co",
    "AT&T &copy &amp;",  # character references, with and without ';'
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',  # out of an HTML attribute
    "<script>alert(1)</script>",
    "{: .evil onclick=alert(1) }",  # attr_list syntax
    "*bold* _em_ `code` [l](http://x) ![i](x) | a | b |",  # Markdown syntax
    "x" * MAX_TITLE,
]


@pytest.mark.parametrize("name", NAMES)
def test_init_writes_the_name_as_data(cli, tmp_path: Path, name: str):
    status, _, err = cli("init", "site", "--name", name)
    assert (status, err) == (0, "")
    site = tmp_path / "site"
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    # site_name is HTML to the theme: the name as HTML text, which shows as typed
    assert html.unescape(config["site_name"]) == f"{name} OKRs"
    assert "<" not in config["site_name"] and '"' not in config["site_name"]
    org = yaml.safe_load((site / "goals/org.yaml").read_text(encoding="utf-8"))
    assert org["organization"] == name and org["teams"][0]["name"] == name
    loaded = load(site / "goals").org  # okrsite's own reader agrees
    assert loaded.name == name and loaded.teams["company"].name == name
    heading = (site / "docs/index.md").read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# ") and "<" not in heading and "\n" not in heading


def test_init_strips_spaces_around_the_name(cli, tmp_path: Path):
    assert cli("init", "site", "--name", "  Acme Ltd \u00a0")[0] == 0
    org = yaml.safe_load((tmp_path / "site/goals/org.yaml").read_text(encoding="utf-8"))
    assert org["organization"] == "Acme Ltd"


class _Page(HTMLParser):
    """The elements, attributes and some texts of a built page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, str] = {}
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "title") and tag not in self.texts:
            self._in, self.texts[tag] = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.texts[self._in] += data


BUILT_NAMES = [
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "<script>alert(1)</script>",
    "{: .evil onclick=alert(1) } *bold* `code` [l](http://x) \\n # | a |",
    "AT&T &copy &amp; Zoë 🚀",
    "Acme: Cloud #1",
]


@pytest.mark.parametrize("name", BUILT_NAMES)
def test_init_site_builds_and_shows_the_name_as_text(cli, tmp_path: Path, name: str):
    assert cli("init", "site", "--name", name)[0] == 0
    site = tmp_path / "site"
    result = build(site, "--strict")
    assert result.returncode == 0, result.stderr
    for page_path in sorted((site / "site").rglob("*.html")):
        page = _Page(page_path.read_text(encoding="utf-8"))
        assert not [t for t, attrs in page.tags if t == "img" or attrs.get("src") == "x"]
        assert "alert(1)</script>" not in page_path.read_text(encoding="utf-8")
        injected = [(t, a) for t, attrs in page.tags for a in attrs if a.startswith("on")]
        assert injected == [], page_path
        assert not [t for t, attrs in page.tags if "evil" in (attrs.get("class") or "")]
    home = _Page((site / "site/index.html").read_text(encoding="utf-8"))
    assert home.texts["h1"] == f"{name} OKRs"
    assert home.texts["title"] == f"{name} OKRs"
    overview = _Page((site / "site/okrs/index.html").read_text(encoding="utf-8"))
    assert overview.texts["h1"] == name


REFUSED_NAMES = [
    ("", '--name is empty: give the organisation\'s name, e.g. --name "Acme"'),
    ("   ", '--name is empty: give the organisation\'s name, e.g. --name "Acme"'),
    ("\u00a0\u200b\u3000", '--name is empty: give the organisation\'s name, e.g. --name "Acme"'),
    ("Acme\nInc", "U+000A"),
    ("Acme\r", "U+000D"),
    ("tab\there", "U+0009"),
    ("bell\x07", "U+0007"),
    ("nul\x00", "U+0000"),
    ("esc\x1b[31mred", "U+001B"),
    ("next\x85line", "U+0085"),  # a line break to YAML 1.1
    ("line\u2028sep", "U+2028"),
    ("para\u2029sep", "U+2029"),
    *(
        (
            f"Acme{ch}",
            f"--name holds a text-direction override (U+{ord(ch):04X}), which can "
            "make a name read as another: type the name without it",
        )
        for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ),
]


@pytest.mark.parametrize(("name", "why"), REFUSED_NAMES)
def test_init_refuses_a_name_that_cannot_be_a_site_name(cli, tmp_path: Path, name, why):
    status, out, err = cli("init", "site", "--name", name)
    if why.startswith("U+"):
        why = (
            f"--name holds a control character ({why}): a site's name is one line of text, "
            "without tabs or line breaks"
        )
    assert (status, out, err) == (2, "", f"okrsite: {why}\n")
    assert not (tmp_path / "site").exists()


def test_init_refuses_a_name_too_long_and_one_not_utf8(cli, tmp_path: Path):
    status, _, err = cli("init", "site", "--name", "x" * (MAX_TITLE + 1))
    assert (status, err) == (
        2,
        f"okrsite: --name is {MAX_TITLE + 1} characters long; a name has at most {MAX_TITLE}\n",
    )
    # what Python makes of the byte 0xff in an argument on a UTF-8 system
    status, _, err = cli("init", "site", "--name", "Acme\udcff")
    assert (status, err) == (2, "okrsite: --name is not UTF-8 text: type the name in UTF-8\n")
    assert not (tmp_path / "site").exists()


# --- init DIR -------------------------------------------------------------------------


def _file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("mine\n", encoding="utf-8")


def _link(path: Path, to: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(to)


TARGETS = [
    # (DIR, set-up in tmp_path, --force, message)
    ("afile", lambda t: _file(t / "afile"), False, "afile is not a folder: name a folder to "
     "write into"),
    ("afile/site", lambda t: _file(t / "afile"), False, "afile is not a folder: name a folder "
     "to write into"),
    ("gone", lambda t: _link(t / "gone", t / "nowhere"), False, "gone is a link to nothing: "
     "name a folder to write into"),
    ("site", lambda t: (t / "site/mkdocs.yml").mkdir(parents=True), True, "site/mkdocs.yml is a "
     "folder where okrsite writes a file; move it away, nothing was written"),
    ("site", lambda t: _file(t / "site/goals"), True, "site/goals is a file where a folder is "
     "needed; move it away, nothing was written"),
    ("site", lambda t: _file(t / "site/goals/.schemas"), False, "site/goals/.schemas is a file "
     "where a folder is needed; move it away, nothing was written"),
    ("site", lambda t: _link(t / "site/docs", t / "outside"), False, "site/docs is a symbolic "
     "link: okrsite writes only into real folders inside site; replace the link with a folder"),
    ("site", lambda t: _link(t / "site/goals", t / "outside"), True, "site/goals is a symbolic "
     "link: okrsite writes only into real folders inside site; replace the link with a folder"),
    ("site", lambda t: _link(t / "site/mkdocs.yml", t / "outside/x"), True, "site/mkdocs.yml is "
     "a symbolic link: okrsite does not write through links; remove it, nothing was written"),
    ("site", lambda t: (t / "site").mkdir() or os.mkfifo(t / "site/mkdocs.yml"), True,
     "site/mkdocs.yml is not a plain file; remove it, nothing was written"),
]  # fmt: skip


@pytest.mark.parametrize(("target", "setup", "force", "message"), TARGETS)
def test_init_into_a_path_that_cannot_take_the_site(
    cli, tmp_path: Path, target, setup, force, message
):
    (tmp_path / "outside").mkdir()
    setup(tmp_path)
    before = _tree(tmp_path)
    status, out, err = cli("init", target, *(["--force"] if force else []))
    assert (status, out, err) == (2, "", f"okrsite: {message}\n")
    assert _tree(tmp_path) == before  # nothing written, nothing through a link
    assert list((tmp_path / "outside").iterdir()) == []


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys")
def test_init_into_a_folder_that_cannot_be_written(cli):
    # /sys refuses new files even to root (a chmod'ed folder does not stop root)
    status, out, err = cli("init", "/sys/okrsite-test")
    assert status == 2 and out == ""
    assert err.startswith("okrsite: cannot write /sys/okrsite-test/") and err.count("\n") == 1


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere")
def test_init_into_a_read_only_folder(cli, tmp_path: Path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        status, _, err = cli("init", "ro")
    finally:
        ro.chmod(stat.S_IRWXU)
    assert status == 2 and err.startswith("okrsite: cannot write ro/") and "denied" in err


# --- new-period ---------------------------------------------------------------------


@pytest.fixture
def org(cli, tmp_path: Path) -> Path:
    """A site with 2026-Q3 OKRs (company and growth); returns the goals folder."""
    write_site(tmp_path, FILES)
    return tmp_path / "goals"


BAD_PERIODS = [
    "2027-Q2\n",  # '$' matches before a final line break
    "2027-Q2\r\n",
    "2027-Q2 ",
    " 2027-Q2",
    "2027-q2",
    "2027-Q5",
    "2027-Q0",
    "2027-H3",
    "2027Q2",
    "20270",
    "1899",
    "3000",
    "",
    "٢٠٢٧-Q2",  # Arabic-Indic digits are \d to Python
    "\uff12\uff10\uff12\uff17",  # full-width digits
    "../2027-Q2",
    "2027-Q2/../../x",
    "/tmp/2027-Q2",
    "2027-Q2\x00",
]


@pytest.mark.parametrize("period", BAD_PERIODS)
def test_new_period_accepts_exactly_a_period(cli, org: Path, period: str):
    before = _tree(org.parent)
    assert cli("new-period", period) == (2, "", f"okrsite: PERIOD {period!r} {PERIOD_ERROR}\n")
    assert cli("new-period", "2026-Q4", f"--from={period}") == (
        2,
        "",
        f"okrsite: --from {period!r} {PERIOD_ERROR}\n",
    )
    assert _tree(org.parent) == before


BAD_TEAMS = ["../growth", "growth/..", "Growth", "growth\n", "", "-growth", "a" * (ID_MAX + 1),
             "grøwth", "growth ", ".", "..", "g_rowth"]  # fmt: skip


@pytest.mark.parametrize("team", BAD_TEAMS)
def test_new_period_accepts_exactly_a_team_id(cli, org: Path, team: str):
    before = _tree(org.parent)
    assert cli("new-period", "2026-Q4", f"--team={team}") == (
        2,
        "",
        f"okrsite: --team {team!r} {TEAM_ERROR}\n",
    )
    assert _tree(org.parent) == before


def test_new_period_with_a_team_id_writes_that_team_only(cli, org: Path):
    assert cli("new-period", "2026-Q4", "--team", "growth")[0] == 0
    assert _tree(org / "2026-Q4") == ["growth.yaml"]


def _to_outside(org: Path) -> None:
    outside = org.parent / "outside"
    outside.mkdir()
    (org / "2026-Q4").symlink_to(outside)


def _dangling(org: Path) -> None:
    (org / "2026-Q4").symlink_to(org.parent / "outside")


def _period_file(org: Path) -> None:
    (org / "2026-Q4").write_text("mine\n", encoding="utf-8")


def _team_folder(org: Path) -> None:
    (org / "2026-Q4/company.yaml").mkdir(parents=True)


FOLDERS = [
    (_dangling, "goals/2026-Q4 is a symbolic link: okrsite writes only into real folders "
     "inside goals; replace the link with a folder"),
    (_period_file, "goals/2026-Q4 is a file where a folder is needed; move it away, nothing "
     "was written"),
    (_team_folder, "goals/2026-Q4/company.yaml is a folder where okrsite writes a file; move it "
     "away, nothing was written"),
]  # fmt: skip


@pytest.mark.parametrize(("setup", "message"), FOLDERS)
def test_new_period_writes_only_plain_files_in_the_goals_folder(cli, org: Path, setup, message):
    setup(org)
    before = _tree(org.parent)
    assert cli("new-period", "2026-Q4", "--force") == (2, "", f"okrsite: {message}\n")
    assert _tree(org.parent) == before
    assert not (org.parent / "outside").exists()


def test_new_period_never_writes_through_a_linked_period_folder(cli, org: Path):
    _to_outside(org)
    status, out, err = cli("new-period", "2026-Q4", "--force")
    # refused when the goals are read (a linked folder is a data error), or when written
    assert (status, out) == (2, "") and err.startswith("goals/2026-Q4")
    assert list((org.parent / "outside").iterdir()) == []


def test_new_period_never_overwrites_its_source(cli, org: Path):
    company = (org / "2026-Q3/company.yaml").read_bytes()
    assert cli("new-period", "2026-Q3", "--from", "2026-Q3", "--force") == (
        2,
        "",
        "okrsite: --from 2026-Q3 must be a period that starts before 2026-Q3\n",
    )
    assert cli("new-period", "2026-Q2", "--from", "2026-Q3") == (
        2,
        "",
        "okrsite: --from 2026-Q3 must be a period that starts before 2026-Q2\n",
    )
    assert cli("new-period", "2026-Q3") == (
        2,
        "",
        "okrsite: no period before 2026-Q3 has OKRs to carry\n",
    )
    assert (org / "2026-Q3/company.yaml").read_bytes() == company


def test_new_period_into_an_existing_period_file(cli, org: Path):
    assert cli("new-period", "2026-Q4")[0] == 0
    company = org / "2026-Q4/company.yaml"
    mine = company.read_text(encoding="utf-8") + "# edited since\n"
    company.write_text(mine, encoding="utf-8")
    assert cli("new-period", "2026-Q4") == (
        2,
        "",
        "okrsite: these files exist already; nothing was written (use --force to overwrite "
        "them):\n  goals/2026-Q4/company.yaml\n  goals/2026-Q4/growth.yaml\n",
    )
    assert company.read_text(encoding="utf-8") == mine


# --- pdf: OKRSITE_CHROMIUM ----------------------------------------------------------


def _script(path: Path, body: str, mode: int = 0o755) -> Path:
    path.write_text(body, encoding="utf-8")
    path.chmod(mode)
    return path


CHROMIUMS = [
    (lambda t: t / "missing", "OKRSITE_CHROMIUM={!r}: no such file; " + CHROMIUM_FIX),
    (lambda t: t, "OKRSITE_CHROMIUM={!r} is a folder; " + CHROMIUM_FIX),
    (lambda t: _script(t / "plain", "#!/bin/sh\n", 0o644),
     "OKRSITE_CHROMIUM={!r} is not executable; " + CHROMIUM_FIX),
    (lambda t: _script(t / "garbage", "not a program\n"), "cannot run {!r}: Exec format error"),
    (lambda t: _script(t / "silent", "#!/bin/sh\nexit 0\n"),
     "Chromium printed no PDF (exit 0; {!r} may not be Chromium or Chrome)"),
    (lambda t: _script(t / "notpdf", '#!/bin/sh\nfor a; do case "$a" in --print-to-pdf=*) '
     'echo hello > "${a#--print-to-pdf=}";; esac; done\n'),
     "Chromium printed no PDF (exit 0; {!r} may not be Chromium or Chrome)"),
    (lambda t: _script(t / "crash", "#!/bin/sh\necho '::error::not ours' >&2\nexit 139\n"),
     "Chromium could not print the summary (exit 139):\n  ::error::not ours"),
]  # fmt: skip


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables")
@pytest.mark.parametrize(("make", "message"), CHROMIUMS)
def test_pdf_with_a_chromium_that_is_none(
    cli, org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make, message
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    chromium = str(make(bin_dir))
    monkeypatch.setenv("OKRSITE_CHROMIUM", chromium)
    old = tmp_path / "old.pdf"
    old.write_bytes(b"%PDF-1.4 last quarter's")
    status, out, err = cli("pdf", "2026-Q3", "-o", "old.pdf", "--today", "2026-08-01")
    assert (status, out, err) == (2, "", f"okrsite: {message.format(chromium)}\n")
    assert old.read_bytes() == b"%PDF-1.4 last quarter's"  # not taken for a new one


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables")
@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("out", "{}/out is a folder: give a file name with -o, e.g. -o okrs.pdf"),
        ("goals/org.yaml/x.pdf", "cannot write {}/goals/org.yaml/x.pdf: {}/goals/org.yaml is not "
         "a folder"),
    ],
)  # fmt: skip
def test_pdf_to_a_path_that_cannot_be_written(
    cli, org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output, message
):
    (tmp_path / "out").mkdir()
    monkeypatch.setenv("OKRSITE_CHROMIUM", str(_script(tmp_path / "silent", "#!/bin/sh\n")))
    status, _, err = cli("pdf", "2026-Q3", "-o", output, "--today", "2026-08-01")
    base = tmp_path.resolve()
    assert (status, err) == (2, f"okrsite: {message.format(base, base)}\n")
