"""Hostile repositories and refs for `okrsite diff` and preview builds (`compare_to`).

Every case is a real git repository made in tmp_path, with a branch (or a crafted
commit) holding one hostile shape, diffed by the real `okrsite diff` (cli.main) or a
real `mkdocs build`. Each asserts our exact message (`REF:path:1: ...`, or a one-line
`okrsite: ...`) or the exact added/removed lists, and that nothing from outside the
goals folder reaches the output.
"""

from __future__ import annotations

import json
import os
import subprocess
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from okrsite.commands import cli
from okrsite.limits import MAX_FILE_BYTES
from okrsite.review import gittree

from orgkit import ENGINE, ENV, FILES, write_site

SECRET = "TOPSECRET-c0ffee"  # in files outside the goals folder; must never be shown

OUTSIDE = (
    "a symbolic link to a path outside the goals folder: okrsite reads nothing "
    "outside it; replace the link with the file itself"
)
NOTHING = (
    "a symbolic link to nothing in the goals folder: replace the link with the file "
    "itself, or remove it"
)
LOOP = "a symbolic link that loops back on itself: replace the link with the file itself"
FOLDER = (
    "a symbolic link to a folder, which okrsite does not follow: move the files into "
    "the goals folder itself"
)
SUBMODULE = (
    "a git submodule: okrsite reads no submodules at a git ref; put the goal files in "
    "this repository itself"
)
BAD_NAME = (
    "the name holds a line break, a control or invisible character, or bytes that are "
    "not UTF-8: rename it with plain characters"
)
CRAFTED = (
    "a git tree entry named '..', '.' or '', or named twice in one folder (only a "
    "crafted tree holds one): okrsite reads nothing outside the goals folder; remove it"
)
TOO_BIG = (
    f"the file is {MAX_FILE_BYTES + 1:,} bytes, over okrsite's limit of {MAX_FILE_BYTES:,} "
    "bytes for one goal file: split it (goal files may be spread over any number of files)"
)


def data_errors(count: int) -> str:
    """The closing line of `okrsite diff` on data errors, its count in English."""
    return f"okrsite: {count} data error{'s' if count != 1 else ''}: fix the goal files, then diff again"


ONE_OF = "give a branch, tag or commit, e.g. origin/main"

# Everything in orgkit.FILES, as the diff names it.
EVERYTHING = [
    ("team", "company"),
    ("team", "growth"),
    ("team", "product"),
    ("person", "ana"),
    ("person", "maria"),
    ("kpi", "gross-churn"),
    ("objective", "2026-Q3/company/retention"),
    ("objective", "2026-Q3/growth/trials"),
    ("key result", "2026-Q3/company/retention/churn"),
    ("key result", "2026-Q3/company/retention/nrr"),
    ("key result", "2026-Q3/growth/trials/aha"),
    ("key result", "2026-Q3/growth/trials/trial-to-paid"),
    ("goal", "2026-Q3/ana/tips"),
]
NO_CHANGES = "No changes to teams, people, KPIs, objectives, key results or goals."
ANA = "goals/2026-Q3/people/ana.yaml"
TIPS = "Ship in-app usage tips for the top 5 underused features"


def git(repo: Path, *args: str, data: bytes | None = None) -> str:
    """Run git in ``repo``; its stdout (raw bytes decoded as latin-1, for tree ids)."""
    run = subprocess.run(
        ["git", *args], cwd=repo, env=GIT_ENV, input=data, capture_output=True, check=True
    )
    return run.stdout.decode("latin-1")


GIT_ENV = {
    **ENV,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site (orgkit.FILES) as a git repository, one commit on main, with files
    outside the goals folder that hold SECRET; the current folder is its top."""
    root = tmp_path / "repo"
    write_site(root, FILES)
    (root / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (root / "private").mkdir()
    (root / "private/leak.yaml").write_text(f"organization: {SECRET}\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    for key, value in GIT_ENV.items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("OKRSITE_COMPARE_TO", raising=False)
    monkeypatch.chdir(root)
    return root


def branch(
    repo: Path,
    name: str,
    change: Callable[[Path], object],
    after_add: Callable[[Path], object] | None = None,
    orphan: bool = False,
) -> None:
    """Commit ``change`` (made in the work tree) on a new branch; back to main."""
    git(repo, "checkout", "-q", "--orphan" if orphan else "-b", name, "main")
    change(repo)
    git(repo, "add", "-A")
    if after_add:
        after_add(repo)
    git(repo, "commit", "-q", "--allow-empty", "-m", name)
    git(repo, "checkout", "-q", "-f", "main")
    git(repo, "clean", "-qfdx", "--", "goals")


def diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, list[str]]:
    """The real `okrsite diff ARGS`: exit status, stdout, stderr lines."""
    code = cli.main(["diff", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and SECRET not in out + err
    return code, out, err.splitlines()


def changes(out: str) -> list[tuple[str, str, str]]:
    return [(c["kind"], c["key"], c["status"]) for c in json.loads(out)["changes"]]


def link(path: str, target: str) -> Callable[[Path], None]:
    def make(repo: Path) -> None:
        where = repo / path
        where.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, where)

    return make


def both(*makes: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(repo: Path) -> None:
        for m in makes:
            m(repo)

    return make


def write(path: str | bytes, text: str = "note: x\n") -> Callable[[Path], None]:
    def make(repo: Path) -> None:
        where = Path(os.fsdecode(os.path.join(os.fsencode(repo), os.fsencode(path))))
        where.parent.mkdir(parents=True, exist_ok=True)
        where.write_text(text, encoding="utf-8")

    return make


def gitlink(path: str) -> Callable[[Path], None]:
    def make(repo: Path) -> None:
        commit = git(repo, "rev-parse", "main").strip()
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")

    return make


# -- symbolic links, submodules, names and sizes at a ref ------------------------------

REFUSED_AT_REF = {
    "link to /etc/passwd": (link("goals/pw.yaml", "/etc/passwd"), [f"goals/pw.yaml:1: {OUTSIDE}"]),
    "link to a repository file outside the folder": (
        link("goals/notes.yaml", "../secret.txt"),
        [f"goals/notes.yaml:1: {OUTSIDE}"],
    ),
    "link climbing out with many ..": (
        link("goals/2026-Q3/deep.yaml", "../../../../../../../../etc/hostname"),
        [f"goals/2026-Q3/deep.yaml:1: {OUTSIDE}"],
    ),
    "link to the repository's top": (link("goals/up.yaml", ".."), [f"goals/up.yaml:1: {OUTSIDE}"]),
    "link out through a linked folder": (
        both(link("goals/top", ".."), link("goals/x.yaml", "top/secret.txt")),
        [f"goals/x.yaml:1: {OUTSIDE}"],  # 'top' leads out: left out, as no goal file
    ),
    "link to a folder inside": (
        link("goals/2026-Q3-copy", "2026-Q3"),
        [f"goals/2026-Q3-copy:1: {FOLDER}"],
    ),
    "link to the goals folder itself": (link("goals/self", "."), [f"goals/self:1: {FOLDER}"]),
    "link to nothing": (
        link("goals/2026-Q3/gone.yaml", "missing.yaml"),
        [f"goals/2026-Q3/gone.yaml:1: {NOTHING}"],
    ),
    "links in a loop": (
        both(link("goals/a.yaml", "b.yaml"), link("goals/b.yaml", "a.yaml")),
        [f"goals/a.yaml:1: {LOOP}", f"goals/b.yaml:1: {LOOP}"],
    ),
    "link through a file as if a folder": (
        link("goals/odd.yml", "kpis.yaml/x"),
        [f"goals/odd.yml:1: {NOTHING}"],
    ),
    "submodule in the goals folder": (
        lambda repo: None,
        [f"goals/vendor:1: {SUBMODULE}"],
    ),
    "line break in a file name": (
        write("goals/evil\n.yaml"),
        [f"goals/evil\\n.yaml:1: {BAD_NAME}"],
    ),
    "bytes that are not UTF-8 in a name": (
        write(b"goals/\xff\xfe.yaml"),
        [f"goals/\\xff\\xfe.yaml:1: {BAD_NAME}"],
    ),
    "terminal escape in a name": (
        write("goals/\x1b[2J\x1b[31mok.yaml"),
        [f"goals/\\x1b[2J\\x1b[31mok.yaml:1: {BAD_NAME}"],
    ),
    "right-to-left override in a folder name": (
        write("goals/team\u202egpj.exe/x.yaml"),
        [f"goals/team\\u202egpj.exe:1: {BAD_NAME}"],
    ),
    "goal file over the size limit": (
        write("goals/big.yaml", "#" * (MAX_FILE_BYTES + 1)),
        [f"goals/big.yaml:1: {TOO_BIG}"],
    ),
    "goal link to a file over the size limit": (
        both(
            write("goals/data/big.txt", "#" * (MAX_FILE_BYTES + 1)),
            link("goals/b.yaml", "data/big.txt"),
        ),
        [f"goals/b.yaml:1: {TOO_BIG}"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_AT_REF), ids=list(REFUSED_AT_REF))
def test_refused_at_a_ref_with_ref_path_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str], case: str
):
    change, expected = REFUSED_AT_REF[case]
    after = gitlink("goals/vendor") if case.startswith("submodule") else None
    branch(repo, "evil", change, after)
    code, out, err = diff(capsys, "main", "evil")
    assert (code, out) == (2, "")
    assert err == [f"evil:{line}" for line in expected] + [data_errors(len(expected))]


def test_refused_on_the_base_side_too(repo: Path, capsys: pytest.CaptureFixture[str]):
    """A base ref (anyone's earlier pull request) is read by the same rules."""
    branch(repo, "old", link("goals/pw.yaml", "/etc/passwd"))
    code, _out, err = diff(capsys, "old")
    assert code == 2
    assert err == [f"old:goals/pw.yaml:1: {OUTSIDE}", data_errors(1)]


def test_link_inside_the_folder_is_read_as_the_working_tree_reads_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
):
    """A goal file that links to a file inside the goals folder is followed, at a ref
    and in the working tree alike; also when the link goes up and back in."""

    def relink(target: str) -> Callable[[Path], None]:
        def make(repo: Path) -> None:
            ana = repo / ANA
            text = ana.read_text(encoding="utf-8").replace(TIPS, "Ship usage tips")
            (repo / "goals/2026-Q3/people/ana.txt").write_text(text, encoding="utf-8")
            ana.unlink()
            os.symlink(target, ana)

        return make

    branch(repo, "near", relink("ana.txt"))
    branch(repo, "round", relink("../../../goals/2026-Q3/people/ana.txt"))
    expected = [("goal", "2026-Q3/ana/tips", "changed")]
    for ref in ("near", "round"):
        code, out, _ = diff(capsys, "main", ref, "--format", "json")
        assert (code, changes(out)) == (0, expected)
        assert json.loads(out)["changes"][0]["fields"] == [
            {"name": "title", "old": TIPS, "new": "Ship usage tips"}
        ]
    git(repo, "checkout", "-q", "round")  # the same link in the working tree
    code, out, _ = diff(capsys, "main", "--format", "json")
    assert (code, changes(out)) == (0, expected)


LEFT_OUT = {
    "a README linked from outside": link("goals/README.md", "../secret.txt"),
    "a folder linked from outside": link("goals/ext", "../private"),
    "a hidden link out": link("goals/.cache.yaml", "/etc/passwd"),
    "a hidden folder with odd names": write("goals/.github/evil\n.yaml", f"x: {SECRET}\n"),
    "a hidden submodule": lambda repo: None,
    "a .gitattributes that would hide a goal file from git archive": write(
        "goals/.gitattributes", "2026-Q3/people/ana.yaml export-ignore\n*.yaml export-subst\n"
    ),
    "a hard link to a file outside the folder": lambda repo: os.link(
        repo / "secret.txt", repo / "goals/secret.txt"
    ),
}


@pytest.mark.parametrize("case", list(LEFT_OUT), ids=list(LEFT_OUT))
def test_what_the_loader_never_reads_is_left_out_unread(
    repo: Path, capsys: pytest.CaptureFixture[str], case: str
):
    """Not goal files, hidden, or (hard link) plain content committed to the folder:
    the diff is made, has no changes, and shows nothing of them."""
    after = gitlink("goals/.vendor") if "submodule" in case else None
    branch(repo, "evil", LEFT_OUT[case], after)
    code, out, err = diff(capsys, "main", "evil")
    assert (code, err) == (0, [])
    assert out.splitlines()[-1] == NO_CHANGES


# -- crafted trees (git mktree / hash-object --literally) ------------------------------


def _tree_entries(raw: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(mode, name, 20-byte id) of a raw tree object."""
    out, i = [], 0
    while i < len(raw):
        nul = raw.index(b"\0", i)
        mode, name = raw[i:nul].split(b" ", 1)
        out.append((mode, name, raw[nul + 1 : nul + 21]))
        i = nul + 21
    return out


def _tree(repo: Path, entries: list[tuple[bytes, bytes, bytes]]) -> bytes:
    raw = b"".join(mode + b" " + name + b"\0" + oid for mode, name, oid in entries)
    oid = git(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", data=raw)
    return bytes.fromhex(oid.strip())


def crafted(repo: Path, name: str, extra: list[tuple[bytes, bytes, bytes]]) -> None:
    """A commit on branch ``name``: main with ``extra`` entries in its goals tree,
    written as git would never write them."""
    goals = _tree_entries(git(repo, "cat-file", "tree", "main:goals").encode("latin-1"))
    top = _tree_entries(git(repo, "cat-file", "tree", "main^{tree}").encode("latin-1"))
    new_goals = _tree(repo, goals + extra)
    root = _tree(repo, [(m, n, new_goals if n == b"goals" else o) for m, n, o in top])
    commit = git(repo, "commit-tree", root.hex(), "-p", "main", "-m", name).strip()
    git(repo, "update-ref", f"refs/heads/{name}", commit)


def _blob(repo: Path, text: str) -> bytes:
    oid = git(repo, "hash-object", "-w", "--stdin", data=text.encode())
    return bytes.fromhex(oid.strip())


CRAFTED_TREES = {
    "an entry named ..": (
        lambda repo: [
            (b"40000", b"..", _tree(repo, [(b"100644", b"x.yaml", _blob(repo, "a: 1\n"))]))
        ],
        "goals/..",
    ),
    "an entry named .": (lambda repo: [(b"100644", b".", _blob(repo, "a: 1\n"))], "goals/."),
    "a name with slashes climbing out": (
        lambda repo: [(b"100644", b"../../escape.yaml", _blob(repo, "a: 1\n"))],
        "goals/../../escape.yaml",
    ),
    "an absolute name": (
        lambda repo: [(b"100644", b"/tmp/abs.yaml", _blob(repo, "a: 1\n"))],
        "goals//tmp/abs.yaml",
    ),
    "a goal file named twice": (
        lambda repo: [(b"100644", b"kpis.yaml", _blob(repo, "kpis: []\n"))],
        "goals/kpis.yaml",
    ),
}


@pytest.mark.parametrize("case", list(CRAFTED_TREES), ids=list(CRAFTED_TREES))
def test_crafted_tree_entries_are_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], case: str
):
    make, shown = CRAFTED_TREES[case]
    crafted(repo, "evil", make(repo))
    code, out, err = diff(capsys, "main", "evil")
    assert (code, out) == (2, "")
    assert err == [f"evil:{shown}:1: {CRAFTED}", data_errors(1)]
    assert not (repo.parent / "escape.yaml").exists() and not Path("/tmp/abs.yaml").exists()


def test_a_tree_git_cannot_list_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]):
    crafted(repo, "evil", [(b"100644", b"", _blob(repo, "a: 1\n"))])  # an empty name
    code, out, err = diff(capsys, "main", "evil")
    assert (code, out) == (2, "")
    assert err == [
        "okrsite: git could not list the goals folder at the ref (a corrupt or crafted git "
        "tree): run 'git fsck' to find it"
    ]


# -- no goals folder on one side --------------------------------------------------------


def _no_goals(repo: Path) -> None:
    git(repo, "rm", "-rqf", "goals")


def _goals_file(repo: Path) -> None:
    _no_goals(repo)
    (repo / "goals").write_text(f"{SECRET}\n", encoding="utf-8")


def _goals_link(repo: Path) -> None:
    _no_goals(repo)
    os.symlink("/etc", repo / "goals")


def _goals_readme(repo: Path) -> None:
    _no_goals(repo)
    (repo / "goals").mkdir()
    (repo / "goals/README.md").write_text(f"{SECRET}\n", encoding="utf-8")
    (repo / "goals/.keep.yaml").write_text("", encoding="utf-8")


NO_GOALS = {
    "no goals folder": (_no_goals, None, "has no goals folder (goals/ does not exist there)"),
    "goals is a file": (
        _goals_file,
        None,
        "has no goals folder (goals is a file there, not a folder)",
    ),
    "goals is a link to /etc": (
        _goals_link,
        None,
        "has no goals folder (goals is a symbolic link there, not a folder)",
    ),
    "goals is a submodule": (
        _no_goals,
        gitlink("goals"),
        "has no goals folder (goals is a git submodule there, not a folder)",
    ),
    "goals holds no goal file": (_goals_readme, None, "has no goal files in goals/"),
}


@pytest.mark.parametrize("case", list(NO_GOALS), ids=list(NO_GOALS))
def test_a_base_without_goals_shows_everything_added(
    repo: Path, capsys: pytest.CaptureFixture[str], case: str
):
    """The first pull request that adds goals/: everything at head is new."""
    change, after, why = NO_GOALS[case]
    branch(repo, "before", change, after)
    code, out, err = diff(capsys, "before", "main", "--format", "json")
    assert (code, err) == (0, [])
    doc = json.loads(out)
    assert changes(out) == [(kind, key, "added") for kind, key in EVERYTHING]
    assert doc["notes"] == [f"before {why}: everything is shown as added."]
    assert doc["warnings"] == []
    code, md, _ = diff(capsys, "before", "main")
    assert code == 0
    assert md.splitlines()[1:10] == [
        "## Goal changes: `before` → `main`",
        "",
        f"> before {why}: everything is shown as added.",
        "",
        "| | added | removed | changed |",
        "|---|---:|---:|---:|",
        "| Teams | 3 | 0 | 0 |",
        "| People | 2 | 0 | 0 |",
        "| KPIs | 1 | 0 | 0 |",
    ]
    assert f"- new goal **{TIPS}** (`2026-Q3/ana/tips`)" in md


def test_a_head_without_goals_shows_everything_removed(
    repo: Path, capsys: pytest.CaptureFixture[str]
):
    branch(repo, "after", _no_goals)
    code, out, err = diff(capsys, "main", "after", "--format", "json", "--today", "2026-08-01")
    assert err == []
    doc = json.loads(out)
    assert changes(out) == [(kind, key, "removed") for kind, key in EVERYTHING]
    assert doc["notes"] == [
        "after has no goals folder (goals/ does not exist there): everything is shown as removed."
    ]
    # Key results removed while their period runs are still worth a look in review.
    assert code == 1 and len(doc["warnings"]) == 4


def test_both_sides_without_goals(repo: Path, capsys: pytest.CaptureFixture[str]):
    branch(repo, "a", _no_goals, orphan=True)
    branch(repo, "b", _goals_file, orphan=True)
    code, out, err = diff(capsys, "a", "b")
    assert (code, err) == (0, [])
    assert out.splitlines()[1:] == [
        "## Goal changes: `a` → `b`",
        "",
        "> a has no goals folder (goals/ does not exist there): everything is shown as added.",
        "",
        "> b has no goals folder (goals is a file there, not a folder): everything is shown "
        "as removed.",
        "",
        NO_CHANGES,
    ]


def test_preview_build_against_a_base_without_goals(repo: Path):
    """compare_to a ref that predates goals/: the build works, every item is new."""
    branch(repo, "before", _no_goals, orphan=True)
    env_run = subprocess.run(
        [ENGINE, "build", "-d", "preview"],
        cwd=repo,
        env={**GIT_ENV, "OKRSITE_COMPARE_TO": "before"},
        capture_output=True,
        text=True,
    )
    assert env_run.returncode == 0, env_run.stderr
    page = (repo / "preview/changes/index.html").read_text(encoding="utf-8")
    assert "Changes in this preview" in page and TIPS in page
    assert (
        '<div class="admonition note"><p>before has no goals folder (goals/ does not exist '
        "there): everything is shown as added.</p></div>"
    ) in page
    assert "New in this preview" in (
        repo / "preview/okrs/2026-q3/growth/trials/index.html"
    ).read_text(encoding="utf-8")


def test_preview_build_against_a_base_with_a_link_out_fails_cleanly(repo: Path):
    branch(repo, "evil", link("goals/pw.yaml", "/etc/passwd"))
    run = subprocess.run(
        [ENGINE, "build", "-d", "preview"],
        cwd=repo,
        env={**GIT_ENV, "OKRSITE_COMPARE_TO": "evil"},
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert f"evil:goals/pw.yaml:1: {OUTSIDE}" in run.stderr
    assert "Traceback" not in run.stderr and "root:" not in run.stderr


# -- hostile refs, no repository, no git ----------------------------------------------

HOSTILE_REFS = {
    "--upload-pack=touch PWNED": "git ref '--upload-pack=touch PWNED' starts with '-', so git "
    f"would read it as an option: {ONE_OF}",
    "-x": f"git ref '-x' starts with '-', so git would read it as an option: {ONE_OF}",
    "-": f"git ref '-' starts with '-', so git would read it as an option: {ONE_OF}",
    "--output=/tmp/x": "git ref '--output=/tmp/x' starts with '-', so git would read it as "
    f"an option: {ONE_OF}",
    "main..evil": "git ref 'main..evil' is a range or not a ref name: give the two refs "
    "separately, e.g. 'okrsite diff origin/main HEAD'",
    "main...evil": "git ref 'main...evil' is a range or not a ref name: give the two refs "
    "separately, e.g. 'okrsite diff origin/main HEAD'",
    "ma\nin": f"git ref 'ma\\nin' holds a line break or another control character: {ONE_OF}",
    "main\x1b[31m": "git ref 'main\\x1b[31m' holds a line break or another control "
    f"character: {ONE_OF}",
    "main\0": f"git ref 'main\\x00' holds a line break or another control character: {ONE_OF}",
    "": "the git ref is empty: give a branch, tag or commit, e.g. origin/main",
    "  ": "the git ref is empty: give a branch, tag or commit, e.g. origin/main",
    "a" * 10_000: f"git ref '{'a' * 55}...' is not in this repository: check the name, or "
    "fetch it: 'git fetch origin BRANCH'",
    "origin/$(touch PWNED)": "git ref 'origin/$(touch PWNED)' is not in this repository: "
    "check the name, or fetch it: 'git fetch origin BRANCH'",
    "main:goals": "git ref 'main:goals' is not in this repository: check the name, or "
    "fetch it: 'git fetch origin BRANCH'",
    "main^{tree}": "git ref 'main^{tree}' is not in this repository: check the name, or "
    "fetch it: 'git fetch origin BRANCH'",
}


@pytest.mark.parametrize("ref", list(HOSTILE_REFS), ids=[repr(r[:30]) for r in HOSTILE_REFS])
@pytest.mark.parametrize("side", ["base", "head"])
def test_hostile_ref_is_one_line_with_the_fix(
    repo: Path, capsys: pytest.CaptureFixture[str], ref: str, side: str
):
    args = ["--", ref] if side == "base" else ["--", "main", ref]
    code, out, err = diff(capsys, *args)
    assert (code, out, err) == (2, "", [f"okrsite: {HOSTILE_REFS[ref]}"])
    assert not (repo / "PWNED").exists() and not (repo / "PWNED)").exists()


def test_not_a_git_repository(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    site = write_site(tmp_path / "plain", FILES)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(site)
    code, out, err = diff(capsys, "main")
    goals = (site / "goals").resolve()
    assert (code, out) == (2, "")
    assert err == [
        f"okrsite: {goals} is not inside a git repository: okrsite diff compares git refs"
    ]


def test_git_not_installed(repo: Path, capsys, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(repo / "no-such-bin"))
    code, out, err = diff(capsys, "main")
    assert (code, out) == (2, "")
    assert err == [
        "okrsite: git is not installed, or not on PATH: okrsite reads the goal files at a "
        "git ref with git; install git (e.g. 'apt-get install git') and try again"
    ]


# -- size: nothing held whole in memory ---------------------------------------------------


def test_large_files_are_streamed_not_held(repo: Path, tmp_path: Path):
    """Ten files just under the size limit (20 MB): extraction holds a small part of one
    at a time (git archive into memory held all of them at once)."""

    def big(repo: Path) -> None:
        (repo / "goals/data").mkdir()
        for i in range(10):
            size = MAX_FILE_BYTES // 2 - 1
            (repo / f"goals/data/big{i}.csv").write_bytes(f"{i}\n".encode() * size)

    branch(repo, "heavy", big)
    tracemalloc.start()
    try:
        got = gittree.extract(repo, "heavy", "goals", tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_FILE_BYTES // 4
    assert (got.absent, got.goal_files) == (None, len(FILES))
    assert (tmp_path / "goals/data/big9.csv").read_bytes() == b"9\n" * (MAX_FILE_BYTES // 2 - 1)


def test_thousands_of_files(repo: Path, capsys: pytest.CaptureFixture[str]):
    """3,000 files in the goals folder at a ref: all extracted, the diff is made."""

    def many(repo: Path) -> None:
        (repo / "goals/data").mkdir()
        for i in range(3000):
            (repo / f"goals/data/n{i}.txt").write_text(f"{SECRET} {i}\n", encoding="utf-8")

    branch(repo, "many", many)
    code, out, err = diff(capsys, "many", "main", "--format", "json")
    assert (code, err, changes(out)) == (0, [], [])


def test_oversized_file_that_is_no_goal_file_is_refused_only_when_named(
    repo: Path, capsys: pytest.CaptureFixture[str]
):
    """An oversized CSV is read only if a KPI names it as history, and then refused by
    the limit as in the working tree, its content never read."""

    def history(repo: Path) -> None:
        (repo / "goals/huge.csv").write_text(
            f"2026-07-01,{SECRET}\n" + "#" * MAX_FILE_BYTES, encoding="utf-8"
        )

    branch(repo, "quiet", history)
    code, out, err = diff(capsys, "main", "quiet")
    assert (code, err, out.splitlines()[-1]) == (0, [], NO_CHANGES)

    def named(repo: Path) -> None:
        history(repo)
        kpis = repo / "goals/kpis.yaml"
        kpis.write_text(
            kpis.read_text(encoding="utf-8") + "    history_file: huge.csv\n", encoding="utf-8"
        )

    branch(repo, "loud", named)
    code, out, err = diff(capsys, "main", "loud")
    assert (code, out) == (2, "")
    assert err[0].startswith("loud:goals/kpis.yaml:") and f"{MAX_FILE_BYTES:,}" in err[0]
    assert err[-1] == data_errors(1)


def test_history_file_named_out_of_the_folder_at_a_ref(
    repo: Path, capsys: pytest.CaptureFixture[str]
):
    """A KPI's history_file climbing out of the extracted folder to a real file: the
    loader's jail refuses it, unread, at the ref's path and line."""
    secret = repo.parent / "secret.csv"
    secret.write_text(f"2026-07-01,1\n{SECRET},2,3\n", encoding="utf-8")
    climb = "../" * 30 + str(secret).lstrip("/")

    def named(repo: Path) -> None:
        kpis = repo / "goals/kpis.yaml"
        kpis.write_text(
            kpis.read_text(encoding="utf-8") + f"    history_file: {climb}\n", encoding="utf-8"
        )

    branch(repo, "climb", named)
    code, out, err = diff(capsys, "main", "climb")
    assert (code, out) == (2, "")
    assert err[0].startswith("climb:goals/kpis.yaml:") and "outside the goals folder" in err[0]
    assert err[-1] == data_errors(1)


def test_a_branch_name_with_backticks_stays_inert_in_the_comment(
    repo: Path, capsys: pytest.CaptureFixture[str]
):
    """git allows backticks and angle brackets in branch names, and a pull request's
    author names its branch: no code span or HTML can be opened from the heading."""
    name = "x`<img/src=x/onerror=alert(1)>`"  # no spaces in a branch name
    branch(repo, name, write("goals/README.md", "notes\n"))
    code, out, err = diff(capsys, "main", name)
    assert (code, err) == (0, [])
    assert out.splitlines()[1] == (
        "## Goal changes: `main` → x\\`\\<img/src=x/onerror=alert(1)\\>\\`"
    )
