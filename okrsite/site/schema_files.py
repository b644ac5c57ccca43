"""JSON Schemas of the goal-file kinds, generated from :mod:`okrsite.source.fileformat`.

The same pydantic models validate the files at load time, so an editor using these
schemas and the loader can never disagree about a key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from okrsite.source import fileformat as schema

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
# file name in the package and on the site -> model
FILES: dict[str, type[BaseModel]] = {
    "org.schema.json": schema.OrgFile,
    "kpis.schema.json": schema.KpiFile,
    "okrs.schema.json": schema.OkrFile,
    "goals.schema.json": schema.GoalFile,
}


def file_schema(model: type[BaseModel]) -> dict[str, Any]:
    """One goal-file kind's JSON Schema (draft 2020-12)."""
    out = model.model_json_schema()
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return out


def render_all() -> dict[str, str]:
    """Every schema file name and its JSON text, stable for diffs."""
    return {
        name: json.dumps(file_schema(m), indent=2, sort_keys=True) + "\n"
        for name, m in FILES.items()
    }


def write_all(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write the schemas shipped in the package (``python -m okrsite.site.schema_files``)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p)
