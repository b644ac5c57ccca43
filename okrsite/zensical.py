"""A Python-Markdown extension for engines that build okrsite's pages as Markdown
(Zensical, from what ``okrsite generate`` writes): each page's body, one line of
HTML, is handed through whole, before any other Markdown step reads it.

Markdown would pass the body through anyway (it is one raw HTML block), but only after
its HTML parser, written in Python, has walked every tag of it: most of a Zensical
build's time on a large organisation. List it in mkdocs.yml::

    markdown_extensions:
      - okrsite.zensical

It changes nothing else: any other line, on okrsite's pages or hand-written ones, is
Markdown's as before. Under MkDocs and ProperDocs the plugin renders okrsite's pages
without Markdown, so the extension has nothing to do there, and does no harm.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from okrsite.site.generated import BODY_CLOSE, BODY_OPEN

# After Markdown's (and pymdownx's) whitespace normalising (30, 29.9), which would
# strip the stash's markers; before fences (25) and the raw HTML finder (20). The
# preprocessors that run earlier (snippets, critic marks) find nothing in a body: its
# template, fence and critic characters are character references (generated.inert).
PRIORITY = 29.5


class _Passthrough(Preprocessor):
    """Stores each line that is a whole okrsite page body as raw HTML."""

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash
        out = []
        for line in lines:
            if line.startswith(BODY_OPEN) and line.endswith(BODY_CLOSE):
                # A block of its own, so that the placeholder becomes the HTML again.
                out += ["", stash.store(line), ""]
            else:
                out.append(line)
        return out


class OkrsitePassthrough(Extension):
    """okrsite's page bodies through Markdown untouched, and at once."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_Passthrough(md), "okrsite_passthrough", PRIORITY)


def makeExtension(**kwargs: Any) -> OkrsitePassthrough:
    """The extension, as Python-Markdown finds it by the module's name."""
    return OkrsitePassthrough(**kwargs)
