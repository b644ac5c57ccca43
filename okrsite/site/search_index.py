"""okrsite's search index: static JSON files that Material's search box reads in pieces,
through okrsite's worker (assets/okrsite/search-worker.js), so a query costs the few
files it needs, never the whole site's text.

The index, under search/okrsite/ in the site:

- ``meta.json``: ``{"version", "index", "docs", "block", "shards", "stop", "min"}``:
  the index's folder, the number of documents, documents per block, the word shards
  that exist, the stop words and the shortest word, so the worker cuts a query as
  :mod:`okrsite.site.search_text` cuts the pages.
- ``<index>/w/<key>.json``: the words starting with the shard's two characters, each
  ``word: [title ids, text ids]``: the documents whose title, or whose summary, holds
  the word, sorted, each id written as the gap from the one before it.
- ``<index>/d/<n>.json``: documents ``n * block`` to ``n * block + block - 1``, each
  ``[location, title, summary]`` (plain text: the worker escapes it).

The folder ``<index>`` is named by a fingerprint of every file in it, so its name always
means the same files: a browser's cache, or a server halfway through a deploy, can
never pair one build's meta.json with another's shards (the ids would point at other
documents). meta.json is written last and the worker asks the server for it each visit.

Documents are numbered in :func:`order`: KPIs, objectives, teams and people before the
rest and goals last, the newest period's first within each kind, so that among results
of equal score the ones a reader most likely wants come first, and sit together in the
first blocks.

The plugin collects :func:`page_docs` for each page it publishes, calls
:func:`index_files` and :func:`write_index` after the build, and :func:`point_worker` on
every page. This module imports nothing from MkDocs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from okrsite.site import search_text
from okrsite.site.stopping import StopCheck, check, every, never

FOLDER = "search/okrsite"
WORKER = "assets/okrsite/search-worker.js"
META = "meta.json"
VERSION = 2
# Documents per doc-store file: a query fetches the blocks of the results it shows.
BLOCK = 32
# Bounds that keep every file small whatever the goal files hold: words of one document
# (its title's first), and documents in all (the goals, last in order, are the ones cut).
WORDS_PER_DOC = 80
MAX_DOCS = 200_000

# Order of the kinds of page (the template that renders it); anything else sits between
# people and goals.
_RANKS = {
    "okrsite/kpi.html": 0,
    "okrsite/objective.html": 1,
    "okrsite/team.html": 2,
    "okrsite/person.html": 3,
    "okrsite/goal.html": 5,
}
OTHER_RANK = 4


@dataclass(frozen=True)
class Doc:
    """One search result: a page, or a section of a hand-written page."""

    location: str  # relative to the site's root, as Material's index has it
    title: str
    summary: str
    rank: int = OTHER_RANK
    part: int = 0  # 0 the page itself, then its sections in order
    period: str = ""  # the key of the period of a goal's or an objective's page


def rank_of(template: str | None) -> int:
    """Where the documents of a page made with ``template`` come in :func:`order`
    (None: a hand-written page)."""
    return _RANKS.get(template or "", OTHER_RANK)


def page_docs(
    location: str,
    title: str,
    body: str,
    template: str | None,
    *,
    sections: bool = False,
    period: str = "",
) -> list[Doc]:
    """The documents of one page: the page (title and summary), then, with ``sections``
    (hand-written pages), each h2/h3 with an id."""
    rank = rank_of(template)
    docs = [Doc(location, title, search_text.summary(body), rank, period=period)]
    if sections:
        page = location.split("#", 1)[0]
        for i, section in enumerate(search_text.sections(body), start=1):
            docs.append(Doc(f"{page}#{section.anchor}", section.heading, section.text, rank, i))
    return docs


def order(docs: Iterable[Doc]) -> list[Doc]:
    """The documents in index order (see the module's docstring), at most MAX_DOCS."""
    ordered = sorted(docs, key=lambda d: (d.location.split("#", 1)[0], d.part))
    ordered.sort(key=lambda d: d.period, reverse=True)  # stable: newest period first
    ordered.sort(key=lambda d: d.rank)
    return ordered[:MAX_DOCS]


def shard_key(word: str) -> str:
    """The name (without .json) of the shard file holding ``word``: its first two
    characters when they are a-z or 0-9, else their code points in hex, "_"-prefixed."""
    key = word[:2]
    if re.fullmatch(r"[a-z0-9]{2}", key):
        return key
    return "_" + "-".join(f"{ord(c):x}" for c in key)


def gaps(ids: list[int]) -> list[int]:
    """Sorted ids as the first one, then the gap to each next (short numbers in JSON)."""
    return [b - a for a, b in zip([0, *ids], ids, strict=False)]


def postings(docs: list[Doc], stopped: StopCheck = never) -> dict[str, tuple[list[int], list[int]]]:
    """word -> (ids of the documents whose title holds it, ids of those whose summary
    does), for ``docs`` numbered in the order given."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    for n, doc in enumerate(docs):
        if n % 256 == 0:
            check(stopped)
        title = search_text.words(doc.title)[:WORDS_PER_DOC]
        text = search_text.words(doc.summary)[: WORDS_PER_DOC - len(title)]
        for word in title:
            found.setdefault(word, ([], []))[0].append(n)
        for word in text:
            found.setdefault(word, ([], []))[1].append(n)
    return found


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(data: bytes) -> str:
    """8 hex digits that change with ``data``."""
    return hashlib.blake2b(data, digest_size=4).hexdigest()


def index_files(docs: Iterable[Doc], stopped: StopCheck = never) -> dict[str, bytes]:
    """Every file of the index, by its path under :data:`FOLDER`; the same documents
    always give the same bytes. Raises :class:`~okrsite.site.stopping.Stopped` when
    ``stopped()`` says so (checked every few hundred documents)."""
    ordered = order(docs)
    shards: dict[str, dict[str, list[list[int]]]] = {}
    for word, (title, text) in sorted(postings(ordered, stopped).items()):
        shards.setdefault(shard_key(word), {})[word] = [gaps(title), gaps(text)]
    inside = {f"w/{key}.json": _json(words) for key, words in every(shards.items(), stopped, 16)}
    for start in every(range(0, len(ordered), BLOCK), stopped, 16):
        block = [[d.location, d.title, d.summary] for d in ordered[start : start + BLOCK]]
        inside[f"d/{start // BLOCK}.json"] = _json(block)
    # 16 digits: two different indexes under one name would take billions of builds.
    every_file = hashlib.blake2b(digest_size=8)
    for rel, data in sorted(inside.items()):
        every_file.update(f"{rel}\0{len(data)}\0".encode())
        every_file.update(data)
    index = every_file.hexdigest()
    files = {f"{index}/{rel}": data for rel, data in inside.items()}
    files[META] = _json(
        {
            "version": VERSION,
            "index": index,
            "docs": len(ordered),
            "block": BLOCK,
            "shards": sorted(shards),
            "stop": list(search_text.STOP_WORDS),
            "min": search_text.MIN_WORD,
        }
    )
    return files


def write_index(files: Mapping[str, bytes], folder: Path) -> list[str]:
    """Write ``files`` (from :func:`index_files`) under ``folder``: those not there
    already, each replaced whole, meta.json last (a browser searching meanwhile finds
    every file the meta.json it read names); then remove every other file and folder
    under ``folder`` (the last index's). Returns the paths written and removed."""
    changed = []
    for rel, data in sorted(files.items(), key=lambda kv: (kv[0] == META, kv[0])):
        path = folder / rel
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(path.name + ".new")
        fresh.write_bytes(data)
        os.replace(fresh, path)
        changed.append(rel)
    for here, folders, names in os.walk(folder, topdown=False):
        for name in sorted(names):
            path = Path(here, name)
            rel = path.relative_to(folder).as_posix()
            if rel not in files:
                path.unlink()
                changed.append(rel)
        for name in folders:
            with contextlib.suppress(OSError):  # not empty: this index's
                os.rmdir(os.path.join(here, name))
    return changed


# Material's worker, as base.html writes it in the page's configuration (a relative URL).
_WORKER_IN_CONFIG = re.compile(r'("search": ")([^"]*?)assets/javascripts/workers/search\.[^"]*"')


@functools.cache
def worker_url() -> str:
    """The worker's address from the site's root, with a fingerprint of this okrsite's
    worker: a new okrsite's pages never start a browser's cached older worker (which
    would misread a newer index)."""
    source = Path(__file__).parent / "assets" / WORKER.rsplit("/", 1)[-1]
    return f"{WORKER}?v={fingerprint(source.read_bytes())}"


def point_worker(html: str) -> str:
    """The page with Material's search worker replaced by okrsite's, at the same depth
    (the URL in the page's configuration is relative to the page)."""
    head, sep, rest = html.partition('<script id="__config"')
    if not sep:
        return html
    return head + sep + _WORKER_IN_CONFIG.sub(rf'\g<1>\g<2>{worker_url()}"', rest, count=1)
