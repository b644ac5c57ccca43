"""The goals folder at a git ref, read from the ref's tree entry by entry and written to a
temporary folder for loading.

The tree comes from anyone's pull request, so it is untrusted (how refs and git itself
are handled is in :mod:`okrsite.review.gitrefs`):

- The goals folder is read entry by entry (``git ls-tree`` and ``git cat-file``), not
  through ``git archive`` and ``tarfile``: nothing is ever written outside the
  temporary folder, no ``.gitattributes`` of the pull request (``export-ignore``,
  ``export-subst``) changes what is read, and each file is streamed to disk after its
  size was checked against :data:`okrsite.limits.MAX_FILE_BYTES`, so no ref can make
  the diff hold a huge file in memory.
- The ref's folder is written as the working tree's loader would see it
  (:func:`okrsite.source.folder.survey`), so a diff refuses what a build refuses and reads
  what a build reads. Symbolic links are resolved inside the ref's own tree, never on
  disk: a link to a file inside the goals folder is written as that file; a link to a
  folder is refused (the loader follows none); a goal file (``.yaml``/``.yml``) that
  is a link out of the goals folder, to nothing, or in a loop is refused, its target
  never read; any other such link (a ``README`` linked from elsewhere) is left out,
  unread. Goal files over :data:`~okrsite.limits.MAX_FILE_BYTES` are refused; other
  files over it are written as empty files of their size, which the loader refuses by
  size if a KPI's ``history_file`` names one. Submodules and names with line breaks,
  control characters or bytes that are not UTF-8 are refused (in hidden folders,
  which the loader never enters, they are left out); so are entries named ``..``,
  ``.`` or twice in one folder, anywhere, which only a crafted tree holds. Every
  refusal is a data error at ``path:1`` that never shows a file's content.
- A ref where the goals folder does not exist, or is a file, a link or a submodule
  instead of a folder, has no goals folder: :func:`extract` says so and the diff shows
  every goal as added (or removed) rather than failing on the first pull request that
  adds ``goals/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from okrsite.diagnostics import BAD_NAME, DataError, Diagnostic
from okrsite.limits import MAX_FILE_BYTES
from okrsite.review.gitrefs import Blobs, GitError, check_ref, git, shown_name

# As Linux's MAXSYMLINKS: more hops than this is a loop.
_MAX_LINK_HOPS = 40
# As Linux's PATH_MAX: a link's target is never longer, so a link blob that is (only a
# crafted one) leads nowhere, and a ref of many links holds little in memory.
_MAX_LINK_TARGET = 4096

_LINK, _GITLINK, _TREE = "120000", "160000", "040000"


@dataclass
class Extracted:
    """The goals folder of a ref, written to disk."""

    folder: Path  # the extracted folder (empty when the ref has none)
    absent: str | None  # why the ref has no goals folder; None when it has one
    goal_files: int  # files the loader reads (.yaml/.yml, not hidden), links included


@dataclass(slots=True)
class _Entry:
    mode: str
    kind: str  # blob, tree or commit
    oid: str
    size: int


def _good_name(part: bytes) -> bool:
    """A name that shows as itself in a one-line message: UTF-8, printable."""
    try:
        return part.decode("utf-8").isprintable()
    except UnicodeDecodeError:
        return False


def _goals_entry(repo: Path, commit: str, subdir: str) -> tuple[_Entry | None, str]:
    """The tree entry of the goals folder at ``commit`` and what it is, if not a folder."""
    if subdir in ("", "."):
        tree = git(repo, "rev-parse", "--verify", "--quiet", f"{commit}^{{tree}}")
        return _Entry(_TREE, "tree", tree.stdout.decode("ascii").strip(), 0), ""
    run = git(repo, "--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", subdir)
    wanted = os.fsencode(subdir)
    for record in run.stdout.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        if name != wanted:
            continue
        mode, kind, oid = meta.decode("ascii").split()
        entry = _Entry(mode, kind, oid, 0)
        if kind == "tree":
            return entry, ""
        what = {_LINK: "a symbolic link", _GITLINK: "a git submodule"}.get(mode, "a file")
        return None, f"{subdir} is {what} there, not a folder"
    return None, f"{subdir}/ does not exist there"


def _list(repo: Path, tree: str) -> dict[bytes, _Entry]:
    """Every entry under ``tree``, by its path relative to it (raw bytes)."""
    run = git(repo, "ls-tree", "-r", "-t", "-l", "-z", tree)
    if run.returncode != 0:
        raise GitError(
            "git could not list the goals folder at the ref (a corrupt or crafted git "
            "tree): run 'git fsck' to find it"
        )
    entries: dict[bytes, _Entry] = {}
    for record in run.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid, size = meta.decode("ascii").split()
        if name in entries:  # only a crafted tree names an entry twice
            entries[name].kind = "twice"
            continue
        entries[name] = _Entry(mode, kind, oid, int(size) if size.isdigit() else 0)
    return entries


def _resolve(
    entries: dict[bytes, _Entry], targets: dict[bytes, bytes], top: tuple[bytes, ...], link: bytes
) -> tuple[str, tuple[bytes, ...]]:
    """Where the link at ``link`` (a path in the goals folder, which is at ``top`` in the
    repository) leads, walking the ref's tree as the kernel walks a disk:
    ``("file"|"folder", path in the goals folder)``, or ``("outside", ())``,
    ``("nothing", ())`` or ``("loop", ())``.

    Nothing outside the goals folder is looked at. Its parent folders are passed
    through only on the way back in (``../goals/x.yaml`` from the folder's top is
    ``x.yaml``, as on disk); any other step out of the folder is "outside".
    """
    hops, depth = 0, len(top)
    pending = list(reversed(link.split(b"/")))  # components still to walk, next last
    done = list(top)  # where the walk is, from the repository's top
    kind = "folder"
    while pending:
        part = pending.pop()
        if part in (b"", b"."):
            continue
        if part == b"..":
            if not done:
                return "outside", ()
            done.pop()
            kind = "folder"
            continue
        if len(done) < depth:  # above the goals folder: only the way back in is known
            if part != top[len(done)]:
                return "outside", ()
            done.append(part)
            continue
        here = b"/".join([*done[depth:], part])
        entry = entries.get(here)
        if entry is None or kind != "folder":
            return "nothing", ()
        if entry.mode == _LINK:
            hops += 1
            if hops > _MAX_LINK_HOPS:
                return "loop", ()
            target = targets.get(here)
            if target is None:  # longer than any path: a crafted link
                return "nothing", ()
            if target.startswith(b"/"):
                return "outside", ()
            pending.extend(reversed(target.split(b"/")))
            continue
        done.append(part)
        kind = {"tree": "folder", "blob": "file"}.get(entry.kind, "")
        if not kind or entry.mode == _GITLINK:  # a submodule: nothing to read here
            return "nothing", ()
    if len(done) < depth:
        return "outside", ()
    return kind, tuple(done[depth:])


_LINK_ERRORS = {
    "outside": (
        "a symbolic link to a path outside the goals folder: okrsite reads nothing "
        "outside it; replace the link with the file itself"
    ),
    "nothing": (
        "a symbolic link to nothing in the goals folder: replace the link with the file "
        "itself, or remove it"
    ),
    "loop": "a symbolic link that loops back on itself: replace the link with the file itself",
    "folder": (
        "a symbolic link to a folder, which okrsite does not follow: move the files into "
        "the goals folder itself"
    ),
}
_CRAFTED = (
    "a git tree entry named '..', '.' or '', or named twice in one folder (only a "
    "crafted tree holds one): okrsite reads nothing outside the goals folder; remove it"
)
_SUBMODULE = (
    "a git submodule: okrsite reads no submodules at a git ref; put the goal files in "
    "this repository itself"
)


def _is_hidden(path: bytes) -> bool:
    return any(part.startswith(b".") for part in path.split(b"/"))


def _is_goal_file(path: bytes) -> bool:
    """As :mod:`okrsite.source.folder` chooses goal files: a .yaml/.yml name in any case, in
    no hidden folder and not hidden itself."""
    return path.lower().endswith((b".yaml", b".yml")) and not _is_hidden(path)


def _plan(
    entries: dict[bytes, _Entry], targets: dict[bytes, bytes], top: tuple[bytes, ...]
) -> tuple[dict[bytes, tuple[str, int]], list[tuple[bytes, str]]]:
    """What to write for each entry (path -> (blob id, size), or ("", 0) for a folder),
    and the entries refused (path, message), by the rules in the module docstring."""
    writes: dict[bytes, tuple[str, int]] = {}
    refused: list[tuple[bytes, str]] = []
    gone: set[bytes] = set()  # refused or skipped folders: nothing under them is looked at
    for path, entry in entries.items():
        parts = path.split(b"/")
        if any(b"/".join(parts[:i]) in gone for i in range(1, len(parts))):
            continue
        hidden = _is_hidden(path)
        if entry.kind == "twice" or any(p in (b"", b".", b"..") for p in parts):
            # Crafted: refused wherever it is, as no repository made by git holds one.
            gone.add(path)
            refused.append((path, _CRAFTED))
            continue
        if not all(map(_good_name, parts)):
            gone.add(path)
            if not hidden:
                refused.append((path, BAD_NAME))
            continue
        if entry.kind == "tree":
            writes[path] = ("", 0)
        elif entry.kind != "blob" or entry.mode == _GITLINK:
            if not hidden:
                refused.append((path, _SUBMODULE))
        elif entry.mode != _LINK:
            if entry.size > MAX_FILE_BYTES and _is_goal_file(path):
                refused.append((path, _too_big(entry.size)))
            else:
                writes[path] = (entry.oid, entry.size)
        else:
            kind, there = _resolve(entries, targets, top, path)
            if kind == "file":
                target = entries[b"/".join(there)]
                if target.size > MAX_FILE_BYTES and _is_goal_file(path):
                    refused.append((path, _too_big(target.size)))
                else:
                    writes[path] = (target.oid, target.size)
            elif kind == "folder" and not hidden:
                refused.append((path, _LINK_ERRORS["folder"]))
            elif kind in _LINK_ERRORS and _is_goal_file(path):
                refused.append((path, _LINK_ERRORS[kind]))
            # Any other link (not a goal file, or hidden) is left out unread, as the
            # working tree's loader never reads it; a KPI's 'history_file' naming one
            # is then reported as naming a file that does not exist.
    return writes, refused


def _too_big(size: int) -> str:
    return (
        f"the file is {size:,} bytes, over okrsite's limit of {MAX_FILE_BYTES:,} bytes "
        "for one goal file: split it (goal files may be spread over any number of files)"
    )


def extract(repo: Path, ref: str, subdir: str, dest: Path) -> Extracted:
    """Write the goals folder ``subdir`` (relative to the repository's top) as it is at
    ``ref`` into ``dest/subdir``.

    Raises GitError for a bad or missing ref, and DataError (paths ``subdir/...``, not
    yet prefixed with the ref) for entries refused as the module docstring lists. A ref
    whose ``subdir`` is missing or not a folder gives an empty folder and ``absent``.
    """
    commit = check_ref(repo, ref)
    target = dest / subdir
    target.mkdir(parents=True, exist_ok=True)
    top, absent = _goals_entry(repo, commit, subdir)
    if top is None:
        return Extracted(target, absent, 0)
    entries = _list(repo, top.oid)
    prefix = "" if subdir in ("", ".") else subdir.rstrip("/") + "/"
    top_parts = tuple(os.fsencode(prefix).split(b"/")[:-1])
    root = os.fsencode(target)
    diags: list[Diagnostic] = []

    def refuse(path: bytes, message: str) -> None:
        diags.append(Diagnostic(prefix + shown_name(path), 1, message))

    blobs = Blobs(repo)
    try:
        # Link targets first (a link's blob is its target's path: small).
        targets = {
            path: blobs.copy(e.oid, None)
            for path, e in entries.items()
            if e.mode == _LINK and e.kind == "blob" and e.size <= _MAX_LINK_TARGET
        }
        writes, refused = _plan(entries, targets, top_parts)
        for path, message in refused:
            refuse(path, message)
        if diags:
            raise DataError(diags)
        for path, (oid, size) in writes.items():
            where = os.path.join(root, path)
            try:
                if not oid:
                    os.makedirs(where, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(where), exist_ok=True)
                # 'x': never through a link or over a file already written.
                with open(where, "xb") as out:
                    if size > MAX_FILE_BYTES:
                        # Not a goal file (those are refused above): the loader reads
                        # only its size, to refuse it if a KPI names it as history.
                        out.truncate(size)
                    else:
                        blobs.copy(oid, out)
            except OSError:
                refuse(path, "a git tree entry that cannot be written: check it with 'git fsck'")
    except BaseException:
        blobs.broken = True
        raise
    finally:
        blobs.close()
    if diags:
        raise DataError(diags)
    goal_files = sum(1 for path, (oid, _) in writes.items() if oid and _is_goal_file(path))
    return Extracted(target, None, goal_files)
