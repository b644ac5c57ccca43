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
    """The Chromium executable: ``$OKRSITE_CHROMIUM`` or the first one on ``PATH``.

    A PdfError says what is wrong with ``$OKRSITE_CHROMIUM`` (missing, a folder, not
    executable); messages name that path and no other environment value."""
    explicit = os.environ.get("OKRSITE_CHROMIUM")
    if explicit:
        return _checked_executable(explicit)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "no Chromium found: install Debian's package (apt-get install chromium) or set "
        "OKRSITE_CHROMIUM to a Chromium or Chrome executable"
    )


def _checked_executable(given: str) -> str:
    # A bare name ("chromium-beta") is looked up on PATH, as a shell would.
    path = Path(given) if os.sep in given else Path(shutil.which(given) or given).absolute()
    where = f"OKRSITE_CHROMIUM={given!r}"
    fix = "set it to a Chromium or Chrome executable, or unset it to use chromium from PATH"
    if not path.exists():
        raise PdfError(f"{where}: no such file; {fix}")
    if path.is_dir():
        raise PdfError(f"{where} is a folder; {fix}")
    if not os.access(path, os.X_OK):
        raise PdfError(f"{where} is not executable; {fix}")
    return str(path)


# Lines of Chromium's own output shown when it fails: the last few, each cut short and
# indented, without control characters, so that they cannot pose as our messages or as
# workflow commands ("::set-output ...") in a CI log.
_TAIL_LINES, _TAIL_WIDTH = 5, 200


def _tail(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()][-_TAIL_LINES:]
    cleaned = ("".join(ch for ch in line if ch.isprintable())[:_TAIL_WIDTH] for line in lines)
    return "".join(f"\n  {line}" for line in cleaned)


def html_to_pdf(html: str, out: Path, *, timeout: float = 120) -> Path:
    """Render a standalone HTML document to ``out`` with headless Chromium.

    Every failure (no Chromium, one that cannot run, crashes, hangs or prints nothing,
    an output path that cannot be written) is a PdfError; an existing ``out`` is
    replaced only by a finished PDF."""
    chromium = find_chromium()
    # Messages name the program as the user did, or by its file name: not by a folder
    # of PATH (the environment is not echoed into public CI logs).
    label = repr(os.environ.get("OKRSITE_CHROMIUM") or Path(chromium).name)
    out = out.resolve()
    if out.is_dir():
        raise PdfError(f"{out} is a folder: give a file name with -o, e.g. -o okrs.pdf")
    folder = out.parent
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():  # a file where a folder of the path should be
        raise PdfError(f"cannot write {out}: {folder} is not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PdfError(f"cannot write {out}: {exc.strerror or exc}") from None
    with tempfile.TemporaryDirectory(prefix="okrsite-pdf-") as tmp:
        page = Path(tmp) / "summary.html"
        page.write_text(html, encoding="utf-8")
        # Printed into the temporary folder first: a Chromium that crashes or prints
        # nothing leaves no half file, and an old PDF at ``out`` is not taken for new.
        printed = Path(tmp) / "summary.pdf"
        cmd = [
            chromium, "--headless", *QUIET_ARGS,
            "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={printed}", page.as_uri(),
        ]  # fmt: skip
        try:
            run = subprocess.run(
                cmd, capture_output=True, text=True, errors="replace", timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium took longer than {timeout:.0f} s to print") from None
        except OSError as exc:  # not a program this system can run
            raise PdfError(f"cannot run {label}: {exc.strerror or exc}") from None
        if run.returncode != 0:
            raise PdfError(
                f"Chromium could not print the summary (exit {run.returncode}):{_tail(run.stderr)}"
            )
        if not _is_pdf(printed):
            raise PdfError(
                f"Chromium printed no PDF (exit 0; {label} may not be Chromium or Chrome)"
                f"{_tail(run.stderr)}"
            )
        try:
            shutil.move(printed, out)
        except OSError as exc:
            raise PdfError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as pdf:
            return pdf.read(5) == b"%PDF-"
    except OSError:
        return False
