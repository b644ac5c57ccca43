"""okrsite's pages as files in a docs folder, for an engine that runs no okrsite plugin
(Zensical): each generated page as Markdown (front matter, then the rendered body,
which Markdown leaves alone), the published files beside them, and a record of what
was written so that the next run replaces only okrsite's own files.

The docs folder also holds hand-written pages, and in a pull request's build every file
in it comes from whoever wrote the pull request. So: nothing is written, replaced or
removed but files of okrsite's exact shapes
(:func:`okrsite.site.sitefiles.is_okrsite_path`) reached through no symbolic link; of
those, only okrsite's own (:func:`is_own`): a page by its first line (which says that
edits are overwritten), a data file always, any other file when the record lists it
unchanged. A hand-written page wins, as with the plugin; the record is read as hostile
input (bounded, every path checked).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape

from okrsite import __version__
from okrsite.site.pages import PageSpec
from okrsite.site.sitefiles import is_data_path, is_okrsite_path

# The first line of every page okrsite writes: a Markdown file with it is okrsite's, one
# without it never, whatever the record says.
MARKER = "# Written by `okrsite generate` from the goal files: edits here are overwritten."
_HEAD = f"---\n{MARKER}\n".encode()
# A page's body: one line, so that okrsite.zensical can hand it through Markdown whole.
BODY_OPEN, BODY_CLOSE = '<div class="okr-page">', "</div>"

# The record of the files the last `okrsite generate` wrote (a dot file: MkDocs,
# ProperDocs and Zensical publish none).
RECORD = ".okrsite-generated.json"
# A site of 10,000 goals records under 20,000 files in about 2 MB.
RECORD_MAX_BYTES = 16 * 1024 * 1024
RECORD_MAX_FILES = 200_000


def digest(data: bytes) -> str:
    """The fingerprint the record keeps of a file's content."""
    return hashlib.sha256(data).hexdigest()


def read_record(docs_dir: Path) -> dict[str, str]:
    """The files the last run wrote, by docs-relative path, with their fingerprints.
    Empty when there is no record, or one that is a link, too large or not okrsite's
    JSON (the files it names then count as the site's, except pages that open with
    okrsite's front matter); an entry naming a path okrsite would not write is left
    out."""
    path = docs_dir / RECORD
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > RECORD_MAX_BYTES:
            return {}
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):  # RecursionError: nesting
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or len(files) > RECORD_MAX_FILES:
        return {}
    return {
        name: fp
        for name, fp in files.items()
        if isinstance(name, str) and isinstance(fp, str) and is_okrsite_path(name)
    }


def own_files(docs_dir: Path, present: Collection[str]) -> list[str]:
    """Which of the files ``present`` in ``docs_dir`` (docs-relative) are okrsite's
    (:func:`is_own`): the plugin leaves them out of a build and makes its own pages
    instead."""
    record = read_record(docs_dir)
    return [name for name in present if is_own(docs_dir, name, record)]


def is_own(docs_dir: Path, name: str, record: dict[str, str]) -> bool:
    """Whether the file at ``name`` is okrsite's to replace or remove: a path of
    okrsite's shape, reached through no link, and either a page that opens with
    okrsite's front matter (whose first line says that edits are overwritten: a page
    made one's own drops it), one of okrsite's data files
    (:func:`okrsite.site.sitefiles.is_data_path`), or another file the record lists
    unchanged."""
    if not is_okrsite_path(name):
        return False
    if name.endswith(".md"):
        return starts_as_generated(docs_dir, name)
    if is_data_path(name):
        path = _inside(docs_dir, name)
        return path is not None and path.is_file()
    return name in record and _content(docs_dir, name) == record[name]


def starts_as_generated(docs_dir: Path, name: str) -> bool:
    """Whether the file at ``name`` opens with the front matter okrsite writes (its
    first two lines only are read)."""
    path = _inside(docs_dir, name)
    if path is None:
        return False
    try:
        with path.open("rb") as f:
            return f.read(len(_HEAD)) == _HEAD
    except OSError:  # a folder, unreadable
        return False


def _content(docs_dir: Path, name: str) -> str | None:
    """The fingerprint of a file inside ``docs_dir``; None when it is missing, not a
    file, or any part of its path is a link."""
    path = _inside(docs_dir, name)
    if path is None:
        return None
    try:
        return digest(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


def _inside(docs_dir: Path, name: str) -> Path | None:
    """``docs_dir / name`` if no part of the way there is a link, else None (also for
    a name the system refuses)."""
    path = docs_dir
    try:
        for part in name.split("/"):
            path = path / part
            if path.is_symlink():
                return None
    except (OSError, ValueError):
        return None
    return path


def _first_link(docs_dir: Path, name: str) -> str:
    """The first part of ``name``'s way from ``docs_dir`` that is a link."""
    parts = name.split("/")
    for end in range(1, len(parts) + 1):
        if (docs_dir.joinpath(*parts[:end])).is_symlink():
            return "/".join(parts[:end])
    return name


def markdown_page(spec: PageSpec, body: str, searchable: bool = True) -> str:
    """A generated page as a Markdown file: the title in front matter (escaped: the
    engine puts it into the page as HTML) and the body in one HTML block, which Markdown
    passes through as it is."""
    head = [
        "---",
        MARKER,
        f"title: {yaml_string(inert(str(escape(spec.title))))}",
    ]
    if not searchable or "moved_to" in spec.extra:
        head += ["search:", "  exclude: true"]
    # The body on one line inside one <div>: a Markdown parser sees a single raw HTML
    # block, so no text of a goal file is read as Markdown, and no line of it can open
    # a fenced block; with no brace left, no template plugin (macros, extradata) that
    # Zensical runs over the page finds an expression in it.
    return "\n".join([*head, "---", "", BODY_OPEN + inert(body) + BODY_CLOSE, ""])


# Characters that a Markdown preprocessor or a template engine could read as syntax
# (template expressions, critic marks, fences, alternative template markers), as the
# character references the browser reads back as the same characters, in text and in
# attribute values alike. Line breaks: in text a reference (a <pre> keeps its lines),
# inside a tag a space.
_SYNTAX = (
    ("{", "&#123;"),
    ("}", "&#125;"),
    ("[", "&#91;"),
    ("]", "&#93;"),
    ("%", "&#37;"),
    ("`", "&#96;"),
    ("~", "&#126;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
)
_TAG_WITH_BREAK = re.compile(r"<[^<>]*[\r\n][^<>]*>")


def inert(html: str) -> str:
    """okrsite's HTML (every ``<`` in its text escaped, so a tag runs from ``<`` to the
    next ``>``) on one line, with no character a Markdown preprocessor or a template
    engine reads as syntax; a browser shows it exactly as before."""
    html = _TAG_WITH_BREAK.sub(lambda m: m.group().replace("\r", " ").replace("\n", " "), html)
    for char, ref in _SYNTAX:  # str.replace: one pass in C each, over pages of any size
        html = html.replace(char, ref)
    return html


def yaml_string(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, every character YAML would not print
    as it is (controls, line and paragraph separators, surrogates, BOM) escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@dataclass
class WriteReport:
    """What a run did in the docs folder."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # Paths where a file okrsite did not write (or one edited since) stays as it is,
    # and links on the way to a path (nothing is written under them).
    kept: list[str] = field(default_factory=list)


def write_folder(
    docs_dir: Path, files: Iterable[tuple[str, bytes]], found: Collection[str] = ()
) -> WriteReport:
    """Write okrsite's files into ``docs_dir`` where the way is free or the file there
    is okrsite's (:func:`is_own`, or holds exactly what is written); remove okrsite's
    files this run does not write: those the record lists and the pages ``found`` in
    the folder. Unchanged files are not touched, so a watching engine rebuilds only
    what changed. The record is written even when the run is stopped half-way, so the
    next run knows every file written. A path okrsite would not write raises
    ValueError (a bug, not an input)."""
    record = read_record(docs_dir)
    report = WriteReport()
    new_record: dict[str, str] = {}
    done = False
    try:
        for name, data in files:
            if not is_okrsite_path(name):
                raise ValueError(f"not a path okrsite writes: {name!r}")
            _write_one(docs_dir, name, data, record, new_record, report)
        for name in sorted({*record, *found} - set(new_record)):
            if is_own(docs_dir, name, record):
                path = _inside(docs_dir, name)
                if path is not None:
                    path.unlink()
                    report.removed.append(name)
                    _prune(docs_dir, path.parent)
        done = True
    finally:
        # Stopped half-way: what the last run wrote and this one did not reach yet is
        # still okrsite's.
        kept = {} if done else {k: v for k, v in record.items() if k not in new_record}
        entries = dict(sorted({**kept, **new_record}.items()))
        body = json.dumps({"okrsite": __version__, "files": entries}, indent=0)
        _replace(docs_dir / RECORD, body.encode())
    return report


def _write_one(
    docs_dir: Path,
    name: str,
    data: bytes,
    record: dict[str, str],
    new_record: dict[str, str],
    report: WriteReport,
) -> None:
    fp = digest(data)
    path = _inside(docs_dir, name)
    if path is None:
        link = _first_link(docs_dir, name)
        if link not in report.kept:
            report.kept.append(link)  # a link on the way: nothing under it is written
        return
    current = _content(docs_dir, name)
    if current == fp:  # already what this run writes (also after a stopped run)
        new_record[name] = fp
        report.unchanged += 1
        return
    if _exists(path) and not is_own(docs_dir, name, record):
        report.kept.append(name)  # hand-written, or not a file
        return
    blocker = _write(docs_dir, name, data)
    if blocker is not None:
        if blocker not in report.kept:
            report.kept.append(blocker)  # a file where okrsite needs a folder
        return
    new_record[name] = fp
    report.written.append(name)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _write(docs_dir: Path, name: str, data: bytes) -> str | None:
    """Write one file, making its folders; None when written, else the docs-relative
    path of what is in the way (a file, or a link, where a folder must be)."""
    folder = docs_dir
    parts = name.split("/")
    for end, part in enumerate(parts[:-1], start=1):
        folder = folder / part
        if folder.is_symlink() or (_exists(folder) and not folder.is_dir()):
            return "/".join(parts[:end])
        folder.mkdir(exist_ok=True)
    _replace(docs_dir / name, data)
    return None


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: an engine watching the folder never reads
    half a page, and a link put at the path is replaced, never written through."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".okrsite-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(docs_dir: Path, folder: Path) -> None:
    """Remove folders left empty by removed pages, up to the docs folder."""
    while folder != docs_dir:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or not ours to remove)
        folder = folder.parent
