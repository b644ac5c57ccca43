"""okrsite: KPIs, OKRs and SMART goals as YAML in git, built into a cross-linked site.

The core (loading, validation, the goal graph, scoring and page rendering) is plain
Python and imports nothing from MkDocs; :mod:`okrsite.plugin` is the MkDocs glue.
"""

# The only place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"
