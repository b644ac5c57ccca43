"""Files published beside the pages: the JSON export, its schema, the goal-file schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from okrsite.model.graph import Organization
from okrsite.review.rules import Finding
from okrsite.site import export, urls
from okrsite.site import schema_files as jsonschema
from okrsite.site.stopping import StopCheck, never


def published_files(
    org: Organization,
    today: date,
    findings: list[Finding],
    use_directory_urls: bool = True,
    stopped: StopCheck = never,
) -> Iterator[tuple[str, str]]:
    """(site path, text) of each published data file; ``stopped``: see
    :mod:`okrsite.site.stopping`."""

    def url_of(item: object) -> str:
        frag = urls.anchor(item)
        return urls.dest_url(urls.src_uri(item), use_directory_urls) + (f"#{frag}" if frag else "")

    doc = export.build_export(org, today, findings, url_of, stopped)
    yield urls.EXPORT, export.dumps(doc, stopped)
    yield urls.EXPORT_SCHEMA, json.dumps(export.export_schema(), indent=2, sort_keys=True) + "\n"
    for name, text in jsonschema.render_all().items():
        yield urls.SCHEMAS + name, text
