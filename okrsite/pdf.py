"""PDF of a period's print summary, rendered by headless Chromium (Debian's package).

Chromium prints CSS paged media well (page size, margins, page-number boxes,
repeated table headers) and installs cleanly from Debian; nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
PAPERS = {"a4": "A4", "letter": "Letter"}
# Headless Chromium in a container, with no calls home at start: for printing here,
# and for the browser tests and screenshots, which launch the same executable.
QUIET_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to install."""


def find_chromium() -> str:
    """The Chromium executable: ``$OKRSITE_CHROMIUM`` or the first one on ``PATH``."""
    explicit = os.environ.get("OKRSITE_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "no Chromium found: install Debian's package (apt-get install chromium) or set "
        "OKRSITE_CHROMIUM to a Chromium or Chrome executable"
    )


def html_to_pdf(html: str, out: Path, *, timeout: float = 120) -> Path:
    """Render a standalone HTML document to ``out`` with headless Chromium."""
    chromium = find_chromium()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="okrsite-pdf-") as tmp:
        page = Path(tmp) / "summary.html"
        page.write_text(html, encoding="utf-8")
        cmd = [
            chromium, "--headless", *QUIET_ARGS,
            "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={out}", page.as_uri(),
        ]  # fmt: skip
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium took longer than {timeout:.0f} s to print") from None
        if run.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-5:])
            raise PdfError(f"Chromium could not print the summary (exit {run.returncode}):\n{tail}")
    return out
