"""Table-of-contents tokens from a rendered page body (our own HTML, not user input)."""

from __future__ import annotations

import re
from typing import Any

_HEADING = re.compile(r'<h([23]) id="([^"]+)"([^>]*)>(.*?)</h\1>', re.S)
_LABEL = re.compile(r'data-toc-label="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def toc_tokens(html: str) -> list[dict[str, Any]]:
    """h2/h3 headings as Python-Markdown-style toc tokens (names stay HTML-escaped)."""
    tokens: list[dict[str, Any]] = []
    for level, ident, attrs, inner in _HEADING.findall(html):
        # a heading that also holds a score says what the table of contents should show
        label = _LABEL.search(attrs)
        name = label.group(1) if label else " ".join(_TAG.sub(" ", inner).split())
        token = {"level": int(level), "id": ident, "name": name, "children": []}
        if level == "3" and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens
