"""The JSON Schemas: generated from the loader's models, shipped, and in agreement
with the loader on good and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from okrsite.site import schema_files as okr_schemas
from okrsite.source.folder import find_goal_files
from okrsite.source.goalfile import FailedFile, ParsedFile, read_goal_file
from okrsite.source.yamlsafe import parse

ROOT = Path(__file__).resolve().parent.parent
KIND_SCHEMA = {
    "org": "org.schema.json",
    "kpis": "kpis.schema.json",
    "okrs": "okrs.schema.json",
    "goals": "goals.schema.json",
}


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = okr_schemas.file_schema(okr_schemas.FILES[name])
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _json_ready(value):
    """YAML dates become ISO strings, as an editor's YAML language server sees them."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def test_shipped_schemas_are_the_generated_ones():
    """One source of truth: the files in the package equal what the models generate.
    Compared as JSON values: pydantic releases differ in how they write a number
    (older ones write the bound 1 as 1.0), not in what the schema says."""
    for name, text in okr_schemas.render_all().items():
        shipped = okr_schemas.SCHEMA_DIR / name
        assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(text), (
            f"{name} is stale: run python -m okrsite.site.schema_files"
        )


def test_schemas_are_valid_json_schemas():
    for name in okr_schemas.FILES:
        jsonschema.Draft202012Validator.check_schema(
            okr_schemas.file_schema(okr_schemas.FILES[name])
        )


EXAMPLE_FILES = find_goal_files(ROOT / "goals")


def test_example_has_files():
    assert len(EXAMPLE_FILES) >= 8


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_schema_accepts_example_file(path: Path):
    parsed = read_goal_file(path, path.name)
    assert isinstance(parsed, ParsedFile), parsed
    data = _json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = list(_validator(KIND_SCHEMA[parsed.kind]).iter_errors(data))
    assert errors == []


BAD = {
    "unknown key": (
        "okrs.schema.json",
        "period: 2026-Q3\nteam: t\nobjectives:\n  - {id: o, title: T, owner: p, key_results: [{id: k, title: K, baseline: 1, tagret: 2}]}\n",
    ),
    "wrong type": (
        "okrs.schema.json",
        "period: 2026-Q3\nteam: t\nobjectives:\n  - {id: o, title: T, owner: p, key_results: [{id: k, title: K, baseline: 4.2%, target: 2}]}\n",
    ),
    "missing key": (
        "okrs.schema.json",
        "period: 2026-Q3\nteam: t\nobjectives:\n  - {id: o, title: T, owner: p, key_results: [{id: k, title: K, baseline: 1}]}\n",
    ),
    "bad id": ("org.schema.json", "organization: X\nteams:\n  - {id: Retention Plan, name: X}\n"),
    "bad period": ("goals.schema.json", "period: 2026-Q5\nowner: ana\ngoals: []\n"),
    "bad date": (
        "goals.schema.json",
        "period: 2026-Q3\nowner: ana\ngoals:\n  - {id: g, title: G, due: 2026-13-40}\n",
    ),
    "confidence": (
        "okrs.schema.json",
        "period: 2026-Q3\nteam: t\nobjectives:\n  - {id: o, title: T, owner: p, key_results: [{id: k, title: K, baseline: 1, target: 2, checkins: [{date: 2026-07-01, value: 1, confidence: 7}]}]}\n",
    ),
    "bad direction": ("kpis.schema.json", "kpis:\n  - {id: k, name: K, direction: sideways}\n"),
    "bad reference": (
        "goals.schema.json",
        "period: 2026-Q3\nowner: ana\ngoals:\n  - {id: g, title: G, supports: Product/Retention}\n",
    ),
    "bad status": (
        "goals.schema.json",
        "period: 2026-Q3\nowner: ana\ngoals:\n  - {id: g, title: G, status: finished}\n",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_schema_and_loader_both_reject(case: str, tmp_path: Path):
    schema_name, text = BAD[case]
    # Parsed as the loader parses it: an impossible date stays a string, as an editor sees it.
    data = _json_ready(parse(text, "f.yaml")[0].data)
    assert list(_validator(schema_name).iter_errors(data)), f"schema accepted {case}"
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    result = read_goal_file(path, "f.yaml")
    assert isinstance(result, FailedFile) and result.diagnostics, f"loader accepted {case}"
