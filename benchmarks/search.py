"""Time the first search of a visit in headless Chromium, and count the bytes it costs.

    python benchmarks/search.py --site okr1000=/tmp/b/org1000/site --site okr10000=DIR
    python benchmarks/search.py --goals 1000 10000 --work /tmp/b      # generate + build first
    python benchmarks/search.py --site s=DIR --variants box lean pagefind --runs 2
    python benchmarks/search.py --build-cost /tmp/b/org1000 --runs 2

Each ``--site NAME=DIR`` is a built site, served by a local threaded HTTP server that
gzips text as GitHub Pages does (Pagefind's own files are gzipped already) and logs
every response's size. For each query (words of a goal title, an objective title, a KPI
name and a person's name, read from the site's pages, so they have results; or
``--query``), in a fresh browser context (cold cache: the first search of a visit), the
benchmark opens a goal page, clicks the search box as soon as the page has loaded and
types the query. It records, in the page, the time from the first keystroke to the first
``.md-search-result__item`` rendered, and, from the server's log, the bytes of the page's
own load and the bytes of search: every search file (Material's index and worker, lunr,
Pagefind's files) fetched during the visit, plus anything else fetched after the click.
Material fetches its whole index when a page loads, so its bytes count although they
arrive before the click.

Variants, per site (``--variants``):

- ``box``: the site's search box as built (Material's search, or whatever the build put
  behind Material's box).
- ``lean``: Material's box with a leaner index, emulated: the site's
  search/search_index.json cut to one entry per page, its title plus a short text
  (the page's own first paragraph and its "chain" section, tags removed, truncated),
  served in place of the full index; what such an index costs to download and to turn
  into a lunr index in the browser.
- ``pagefind``: Pagefind's JS API, from a small page the server adds to the site: the
  time from importing /pagefind/pagefind.js to ``search(q)`` and the data of its first 10
  results, with their bytes. Uses DIR/pagefind when the build made one; else runs
  ``python -m pagefind`` on DIR (indexing each page's <article>, output into ``--work``,
  the site untouched) and reports how long that took.

``--mbps N`` throttles each page's network to N Mbit/s (20 ms latency), so bytes cost
time as they would over the Internet; by default the network is the loopback.

Prints Markdown tables: medians over queries and runs (min-max in brackets). Needs
Chromium (``--chromium``, default /usr/bin/chromium) and Playwright; nothing is
downloaded.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BENCH_PAGE = "/__bench__/pagefind.html"
SEARCH_FILES = re.compile(
    r"/search/search_index\.json|/workers/search|/lunr/|/pagefind/|/search/okrsite/"
    r"|/assets/okrsite/search-worker\.js"
)
GZIP_TYPES = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".map")
STOP = {"the", "of", "a", "an", "to", "from", "and", "in", "for", "on", "by", "with"}

# Records, in the page, the first keystroke and the first search result rendered.
TIMING_SCRIPT = """
window.__bench = {};
document.addEventListener("keydown", () => {
  if (!window.__bench.key) window.__bench.key = performance.now();
}, true);
new MutationObserver(() => {
  if (!window.__bench.first && document.querySelector(".md-search-result__item"))
    window.__bench.first = performance.now();
}).observe(document, {subtree: true, childList: true});
"""

PAGEFIND_PAGE = b"""<!doctype html><meta charset="utf-8"><title>pagefind bench</title>
<script>
window.bench = async (query) => {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const t1 = performance.now();
  const found = await pagefind.search(query);
  const t2 = performance.now();
  const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  const t3 = performance.now();
  return {init: t1 - t0, search: t2 - t1, data: t3 - t2, total: t3 - t0,
          count: found.results.length, first: data.length ? data[0].meta.title : ""};
};
</script>
"""


@dataclass
class Served:
    """A site being served: its folder, files served in place of its own, and a log."""

    root: Path
    overlay: dict[str, bytes] = field(default_factory=dict)
    dirs: dict[str, Path] = field(default_factory=dict)
    log: list[tuple[float, str, int]] = field(default_factory=list)
    gzipped: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _handler(site: Served) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            start = time.perf_counter()
            path = self.path.split("?")[0].split("#")[0]
            body = self._body(path)
            if body is None:
                self.send_error(404)
                return
            kind = self.guess_type(path if not path.endswith("/") else path + "index.html")
            encode = path.endswith(GZIP_TYPES) or path.endswith("/")
            if encode and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = self._gzip(path, body)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if encode and "gzip" in self.headers.get("Accept-Encoding", ""):
                self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(body)
            with site.lock:
                site.log.append((start, path, len(body)))

        def _body(self, path: str) -> bytes | None:
            if path in site.overlay:
                return site.overlay[path]
            root = site.root
            for prefix, folder in site.dirs.items():
                if path.startswith(prefix):
                    root, path = folder, path[len(prefix) :]
            file = (root / path.lstrip("/")).resolve()
            if file.is_dir():
                file = file / "index.html"
            if not file.is_relative_to(root.resolve()) or not file.is_file():
                return None
            return file.read_bytes()

        def _gzip(self, path: str, body: bytes) -> bytes:
            # Compressed once per file: a static host serves precompressed or cached files.
            with site.lock:
                cached = site.gzipped.get(path)
            if cached is None:
                cached = gzip.compress(body, compresslevel=6)
                with site.lock:
                    site.gzipped[path] = cached
            return cached

    return Handler


def serve(site: Served) -> tuple[ThreadingHTTPServer, str]:
    """Start a threaded server for ``site`` on a free port; return it and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


_TAGS = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def _text(markup: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", markup)).split())


def lean_index(full: dict[str, Any], limit: int = 200) -> bytes:
    """Material's index cut to one entry per page: title, first paragraph and chain."""
    pages: dict[str, dict[str, str]] = {}
    for doc in full["docs"]:
        page, _, anchor = doc["location"].partition("#")
        if not anchor:
            pages[page] = {"location": page, "title": doc["title"], "text": _text(doc["text"])}
        elif anchor == "chain" and page in pages:
            pages[page]["text"] += " " + _text(doc["text"])
    for entry in pages.values():
        entry["text"] = entry["text"][:limit]
    return json.dumps({"config": full["config"], "docs": list(pages.values())}).encode()


def _title(page: Path) -> str:
    match = _H1.search(page.read_text(encoding="utf-8"))
    return _text(match[1]) if match else ""


def queries(site: Path) -> list[str]:
    """Words of a goal's and an objective's title, a KPI's name and a person's name."""

    def middle(pattern: str) -> Path | None:
        found = sorted(site.glob(pattern))
        return found[len(found) // 2] if found else None

    chosen = []
    for pattern, words in (
        ("goals/*/*/*/index.html", 4),
        ("okrs/*/*/*/index.html", 4),
        ("kpis/*/index.html", 2),
        ("people/*/index.html", 2),
    ):
        page = middle(pattern)
        if page:
            title = re.sub(r"\(.*?\)|\bKPI\b", " ", _title(page))
            kept = [w for w in title.split() if w.lower() not in STOP][:words]
            if kept:
                chosen.append(" ".join(kept))
    return chosen


def goal_page(site: Path) -> str:
    """The URL path of a goal page (a typical page to search from), else the home page."""
    found = sorted(site.glob("goals/*/*/*/index.html"))
    page = found[len(found) // 2] if found else site / "index.html"
    folder = page.parent.relative_to(site).as_posix()
    return "/" if folder == "." else f"/{folder}/"


def run_pagefind(site: Path, out: Path) -> float:
    """Index ``site`` with Pagefind into ``out`` (the site untouched); seconds taken."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path"]
    command += [str(out), "--root-selector", "article", "--force-language", "en", "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=ENV)
    return time.perf_counter() - start


@dataclass
class Visit:
    """One first search: milliseconds to the first results, bytes of page and search."""

    ms: float
    page_bytes: int
    search_bytes: int
    hits: str


def _page(browser: Browser, mbps: float) -> tuple[BrowserContext, Page]:
    """A page in a fresh context (empty cache), its network throttled to ``mbps``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    if mbps:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        rate = mbps * 1e6 / 8
        conditions = {"offline": False, "latency": 20, "downloadThroughput": rate}
        cdp.send("Network.emulateNetworkConditions", {**conditions, "uploadThroughput": rate})
    return context, page


def visit_box(
    browser: Browser, site: Served, base: str, path: str, query: str, mbps: float
) -> Visit:
    """Open ``path`` in a fresh context, click the search box, type, wait for results."""
    context, page = _page(browser, mbps)
    page.add_init_script(TIMING_SCRIPT)
    first = len(site.log)
    page.goto(base + path, wait_until="load")
    page.click(".md-search__input")
    opened = time.perf_counter()
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=300_000)
    timing = page.evaluate("window.__bench")
    hits = page.inner_text(".md-search-result__meta")
    page.wait_for_timeout(300)  # lets late responses reach the log
    context.close()
    page_bytes = search_bytes = 0
    for start, url, size in site.log[first:]:
        if SEARCH_FILES.search(url) or start >= opened:
            search_bytes += size
        else:
            page_bytes += size
    return Visit(timing["first"] - timing["key"], page_bytes, search_bytes, hits)


def visit_pagefind(browser: Browser, site: Served, base: str, query: str, mbps: float) -> Visit:
    """Time Pagefind's API from a fresh context: import, search, first 10 results' data."""
    context, page = _page(browser, mbps)
    page.goto(base + BENCH_PAGE, wait_until="load")
    first = len(site.log)
    result = page.evaluate("q => window.bench(q)", query)
    page.wait_for_timeout(300)
    context.close()
    search_bytes = sum(size for _, _, size in site.log[first:])
    hits = f"{result['count']} results, search() {result['search']:.0f} ms"
    return Visit(result["total"], 0, search_bytes, hits)


def _spread(values: list[float], scale: float = 1.0, digits: int = 0) -> str:
    v = [x / scale for x in values]
    return f"{statistics.median(v):,.{digits}f} ({min(v):,.{digits}f}-{max(v):,.{digits}f})"


def _visits(
    browser: Browser, site: Served, api: bool, path: str, args: argparse.Namespace
) -> list[Visit]:
    """Serve ``site`` and make one visit per query, ``runs`` times, after a warm-up."""
    server, base = serve(site)
    try:

        def once(query: str) -> Visit:
            if api:
                return visit_pagefind(browser, site, base, query, args.mbps)
            return visit_box(browser, site, base, path, query, args.mbps)

        once(args.asked[0])  # warm-up, not counted: the disk cache and the server's gzip
        return [once(q) for _ in range(args.runs) for q in args.asked]
    finally:
        server.shutdown()


def measure(
    browser: Browser, name: str, root: Path, variants: list[str], args: argparse.Namespace
) -> list[str]:
    """Markdown rows for one site: each variant, every query, ``args.runs`` times."""
    asked = args.asked = args.query or queries(root)
    path = goal_page(root)
    rows = []
    index_file = root / "search" / "search_index.json"
    for variant in variants:
        site = Served(root)
        note = ""
        if variant == "lean":
            if not index_file.is_file():
                continue
            full = json.loads(index_file.read_text(encoding="utf-8"))
            site.overlay["/search/search_index.json"] = lean_index(full)
        if variant == "pagefind":
            site.overlay[BENCH_PAGE] = PAGEFIND_PAGE
            if not (root / "pagefind").is_dir():
                out = args.work / f"pagefind-{name}"
                note = f"; pagefind indexed in {run_pagefind(root, out):.1f} s"
                site.dirs["/pagefind/"] = out
        visits = _visits(browser, site, variant == "pagefind", path, args)
        rows.append(
            f"| {name} | {variant} | {_spread([v.ms for v in visits])} | "
            f"{_spread([v.search_bytes for v in visits], 1000)} | "
            f"{_spread([v.page_bytes for v in visits], 1000) if variant != 'pagefind' else '-'} | "
            f"{len(visits)}{note} |"
        )
        for query, v in zip(asked * args.runs, visits, strict=True):
            print(f"  {name} {variant} {query!r}: {v.ms:.0f} ms, {v.hits}", file=sys.stderr)
    return rows


def index_sizes(name: str, root: Path, work: Path) -> str:
    """A Markdown row: Material's index (raw, gzip, lean) and Pagefind's bundle, in KB."""
    cells = [name]
    index_file = root / "search" / "search_index.json"
    if index_file.is_file():
        raw = index_file.read_bytes()
        lean = lean_index(json.loads(raw))
        docs = len(json.loads(raw)["docs"])
        cells += [f"{docs:,}", f"{len(raw) / 1000:,.0f} / {len(gzip.compress(raw, 6)) / 1000:,.0f}"]
        cells.append(f"{len(lean) / 1000:,.0f} / {len(gzip.compress(lean, 6)) / 1000:,.0f}")
    else:
        cells += ["-", "-", "-"]
    bundle = root / "pagefind" if (root / "pagefind").is_dir() else work / f"pagefind-{name}"
    files = [f for f in bundle.rglob("*") if f.is_file()] if bundle.is_dir() else []
    total = sum(f.stat().st_size for f in files)
    cells.append(f"{total / 1000:,.0f} in {len(files):,} files" if files else "-")
    return "| " + " | ".join(cells) + " |"


def build_cost(org: Path, runs: int, work: Path) -> str:
    """Build ``org`` with and without Material's search plugin, alternating; then Pagefind."""
    config = (org / "mkdocs.yml").read_text(encoding="utf-8")
    bare = org / "mkdocs-nosearch.yml"
    bare.write_text(re.sub(r"(?m)^\s*- search\s*$\n?", "", config), encoding="utf-8")
    times: dict[str, list[float]] = {"with": [], "without": [], "pagefind": []}
    out = work / f"build-{org.name}"
    for _ in range(runs):
        for label, file in (("with", org / "mkdocs.yml"), ("without", bare)):
            start = time.perf_counter()
            command = ["mkdocs", "build", "-q", "-f", str(file), "-d", str(out)]
            subprocess.run(command, check=True, env=ENV, capture_output=True)
            times[label].append(time.perf_counter() - start)
        times["pagefind"].append(run_pagefind(out, work / f"pagefind-build-{org.name}"))
    cost = statistics.median(times["with"]) - statistics.median(times["without"])
    return (
        f"| {org.name} | {_spread(times['with'], digits=1)} | "
        f"{_spread(times['without'], digits=1)} | {cost:.1f} "
        f"({cost / statistics.median(times['with']):.0%}) | "
        f"{_spread(times['pagefind'], digits=1)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--goals", type=int, nargs="*", default=[], help="generate and build")
    parser.add_argument("--variants", nargs="+", default=["box", "lean", "pagefind"])
    parser.add_argument("--query", action="append", help="instead of the site's own")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--build-cost", type=Path, nargs="*", default=[], metavar="ORG")
    parser.add_argument("--work", type=Path, default=None, help="keep generated files here")
    parser.add_argument("--mbps", type=float, default=0, help="throttle the network")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.work = args.work or Path(tempfile.mkdtemp(prefix="okrsite-search-"))
    args.work.mkdir(parents=True, exist_ok=True)
    sites = [tuple(s.split("=", 1)) for s in args.site]
    for size in args.goals:
        org = args.work / f"org{size}"
        if not (org / "goals").exists():
            generate(size, org)
        if not (org / "site").exists():
            subprocess.run(["mkdocs", "build", "-q"], cwd=org, check=True, env=ENV)
        sites.append((f"{size:,} goals", str(org / "site")))
    if sites:
        rows = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium)
            for name, folder in sites:
                rows += measure(browser, name, Path(folder), args.variants, args)
            browser.close()
        print(
            "| site | search | first results after typing, ms | search bytes per visit, KB "
            "| page load, KB | visits |"
        )
        print("|---|---|---|---|---|---|")
        print("\n".join(rows))
        print(
            "\n| site | Material index entries | Material index KB (raw / gzip) "
            "| lean index KB (raw / gzip) | Pagefind bundle KB |"
        )
        print("|---|---:|---|---|---|")
        for name, folder in sites:
            print(index_sizes(name, Path(folder), args.work))
    if args.build_cost:
        print(
            "\n| organisation | build with search, s | without, s | search plugin's cost, s "
            "| pagefind on the built site, s |"
        )
        print("|---|---|---|---|---|")
        for org in args.build_cost:
            print(build_cost(org, args.runs, args.work))


if __name__ == "__main__":
    main()
