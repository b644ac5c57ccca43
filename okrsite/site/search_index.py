"""Search by Pagefind: the built site indexed into chunks, and the page glue that makes
Material's search box ask okrsite's worker (assets/okrsite/search-worker.js) instead of
Material's own, which would download and index every page's text in the browser.

The plugin calls :func:`mark_page` on every page it publishes, :func:`point_worker` on
every page, and :func:`index_site` once the site is written (``mkdocs serve``'s partial
rebuilds call it again on the same folder).

This module imports nothing from MkDocs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

# Where Pagefind writes its bundle (pagefind.js, the WASM, index chunks, fragments) in the
# site; the worker finds it there, relative to its own address.
BUNDLE = "pagefind"
WORKER = "assets/okrsite/search-worker.js"
# What Material's indexer leaves out, Pagefind leaves out too: the parts okrsite marks
# data-search-exclude (charts, check-in tables, KPI trees, maps, filters) and the pilcrow
# of each heading's permalink, which would end every section title.
EXCLUDE = ("[data-search-exclude]", ".headerlink")
# No indexing run may hang a build: Pagefind indexes 20,000 pages in well under this.
TIMEOUT = 900.0

FIX = (
    "install it with pip install 'pagefind[bin]', or set 'search: material' under the "
    "okrsite plugin in mkdocs.yml"
)


class SearchIndexError(RuntimeError):
    """Pagefind is missing or failed; the message is one line and says the fix."""


# Material's page body (main.html): the one element Pagefind indexes on a page.
_ARTICLE = '<article class="md-content__inner md-typeset">'
_MARKED = '<article class="md-content__inner md-typeset" data-pagefind-body>'
# Material's worker, as base.html writes it in the page's configuration (a relative URL).
_WORKER_IN_CONFIG = re.compile(r'("search": ")([^"]*?)assets/javascripts/workers/search\.[^"]*"')


def mark_page(html: str) -> str:
    """The page with its body marked for Pagefind: once any page is marked, Pagefind
    indexes marked pages only (navigation, header and footer stay out), so a page left
    unmarked (a forwarding page) is not found."""
    return html.replace(_ARTICLE, _MARKED, 1)


def point_worker(html: str) -> str:
    """The page with Material's search worker replaced by okrsite's, at the same depth
    (the URL in the page's configuration is relative to the page)."""
    head, sep, rest = html.partition('<script id="__config"')
    if not sep:
        return html
    return head + sep + _WORKER_IN_CONFIG.sub(rf'\g<1>\g<2>{WORKER}"', rest, count=1)


def pagefind_binary() -> str:
    """The Pagefind executable the ``pagefind`` package finds (``pagefind[bin]``'s, or
    the one PAGEFIND_BINARY_PATH names). SearchIndexError when there is none."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"Pagefind is not installed; {FIX}") from None
    found = get_executable()
    if found is None or not found.is_file():
        where = f" at {found}" if found is not None else ""
        raise SearchIndexError(f"Pagefind's program was not found{where}; {FIX}")
    return str(found)


def index_site(site_dir: Path) -> None:
    """Index the built site in ``site_dir`` with Pagefind, replacing the bundle of an
    earlier run (the new one is written beside it first, so a browser searching
    during a ``mkdocs serve`` rebuild reads one bundle or the other, never a mix).
    SearchIndexError, one line, when Pagefind is missing or fails."""
    binary = pagefind_binary()
    fresh = site_dir / f".{BUNDLE}-new"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [binary, "--site", str(site_dir), "--output-subdir", fresh.name, "--silent"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    try:
        run = subprocess.run(
            command, capture_output=True, timeout=TIMEOUT, check=False, env=_environment()
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not run ({_one_line(str(exc))}); {FIX}") from None
    if run.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        said = _one_line((run.stderr or run.stdout).decode("utf-8", "replace"))
        raise SearchIndexError(
            f"Pagefind could not index the site (exit status {run.returncode}"
            + (f": {said}" if said else "")
            + f"); {FIX}"
        )
    old = site_dir / BUNDLE
    shutil.rmtree(old, ignore_errors=True)
    fresh.rename(old)


def _environment() -> dict[str, str]:
    # Pagefind's colours would reach the build log as escape codes.
    return {**os.environ, "NO_COLOR": "1"}


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last if len(last) <= 200 else last[:199] + "…"
