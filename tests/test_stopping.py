"""Long computations a caller may stop (okrsite.site.stopping): `mkdocs serve`'s data
files after a partial rebuild give way to the next edit. Stopped, they raise; never
stopped, they give what they give without a stop check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from okrsite import pipeline, settings
from okrsite.site import export, search_index, stopping, urls
from okrsite.site.render import Renderer
from okrsite.site.search_index import Doc

REPO = Path(__file__).resolve().parent.parent


def after(calls: int) -> stopping.StopCheck:
    """A stop check that says stop from its ``calls``-th call on."""
    seen = [0]

    def stopped() -> bool:
        seen[0] += 1
        return seen[0] >= calls

    return stopped


@pytest.fixture(scope="module")
def outcome() -> pipeline.Outcome:
    options = settings.options_from({"today": "2026-11-22"})
    return pipeline.run(REPO / "goals", options, pipeline.as_of(options))


def test_every_checks_before_the_first_item_and_every_step():
    assert list(stopping.every(range(5), stopping.never, 2)) == [0, 1, 2, 3, 4]
    with pytest.raises(stopping.Stopped):
        list(stopping.every(range(5), after(1)))
    got = []
    with pytest.raises(stopping.Stopped):
        for n in stopping.every(range(10), after(3), 2):
            got.append(n)
    assert got == [0, 1, 2, 3]  # checked at 0 and 2, stopped at 4


def test_the_search_index_stops_between_documents():
    docs = [Doc(f"p{n}/", f"Title {n}", "Some words here") for n in range(1000)]
    assert search_index.index_files(docs) == search_index.index_files(docs, stopping.never)
    with pytest.raises(stopping.Stopped):
        search_index.index_files(docs, after(2))


def test_a_print_summary_rendered_piece_by_piece_is_the_same(outcome):
    renderer = Renderer(outcome.org, pipeline.as_of(settings.options_from({"today": "2026-11-22"})))
    for period in outcome.org.periods_sorted():
        for goals in (False, True):
            whole = renderer.render_print(period, goals=goals)
            piecewise = renderer.render_print(period, goals=goals, stopped=lambda: False)
            assert piecewise == whole
    with pytest.raises(stopping.Stopped):
        renderer.render_print(outcome.org.periods_sorted()[0], stopped=after(1))


def test_the_export_stops_and_reads_back_whole(outcome):
    def url_of(item: object) -> str:
        return urls.src_uri(item)

    today = pipeline.as_of(settings.options_from({"today": "2026-11-22"}))
    doc = export.build_export(outcome.org, today, outcome.findings, url_of)
    text = export.dumps(doc)
    assert json.loads(text) == doc
    # a line a record: a goal's record is one line
    assert any(line.strip().startswith('{"id"') for line in text.splitlines())
    with pytest.raises(stopping.Stopped):
        export.build_export(outcome.org, today, outcome.findings, url_of, after(1))
    with pytest.raises(stopping.Stopped):
        export.dumps(doc, after(1))


@pytest.mark.parametrize(
    "doc",
    [{}, {"a": []}, {"a": [1, [2, []], {"b": None}], "c": 'é\n"', "d": {"e": [1]}}, {"n": 1.5}],
)
def test_the_export_text_is_json_of_any_shape(doc):
    assert json.loads(export.dumps(doc)) == doc
