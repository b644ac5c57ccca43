"""Bounds on what a goal file may hold, in one place.

Goal files come from anyone's pull request, and a build must stay fast and small
whatever they say: every bound here is refused with a message that names it, by
validation (:mod:`okrsite.source.fileformat`, :mod:`okrsite.source.folder`,
:mod:`okrsite.source.goalfile`), by ``okrsite import`` before it writes a file, and the
renderers rely on them. The user guide's security
page lists them.
"""

from __future__ import annotations

# A goal file on disk: several times the largest real ones (a KPI file with years of
# daily history), small enough that no single file can make a build slow.
MAX_FILE_BYTES = 2_000_000

# All goal files of a goals folder together: several times the largest organisation
# the benchmarks build (docs/guide/benchmarks.md has its size).
MAX_FOLDER_BYTES = 100_000_000

# Folders inside the goals folder (a period, 'people', a team's own folder...).
MAX_FOLDER_DEPTH = 20

# One-line texts: titles, names, metrics, reasons.
MAX_TITLE = 300
# Units are shown beside every number.
MAX_UNIT = 40
# Markdown texts: descriptions, check-in notes, 'achievable'.
MAX_MARKDOWN = 10_000

# Every number in a goal file (baselines, targets, values, alerts, old targets):
# a quadrillion is beyond any KPI a company reports, and far from overflow when
# scores and chart scales multiply and subtract them.
MAX_NUMBER = 1e15
# ... as messages write the range.
NUMBER_RANGE = f"between -{MAX_NUMBER:,.0f} and {MAX_NUMBER:,.0f}"
# A key result's weight, relative to its siblings.
MAX_WEIGHT = 1000.0

# Lists and mappings nested deeper than this are refused (goal files need six).
MAX_DEPTH = 100

# Levels of one chain of links: teams under the company ('parent'), objectives aligned
# one under another ('aligns_to'). A real organisation has a handful; pages, scores and
# chains walk these links, and a chain of thousands must not exhaust Python's stack.
MAX_CHAIN = 30

# A sheet `okrsite import` reads (not a goal file: it is read once, on the importer's
# machine). A .csv or .xlsx of 100,000 rows is a few megabytes; the bounds leave room
# for long texts while keeping a crafted file (a zip that unpacks to millions of empty
# cells, a CSV of commas) from taking minutes and gigabytes.
MAX_SHEET_BYTES = 20_000_000
# Rows of a sheet, blank ones included (each costs reading): a 10,000-person company
# with ten key results each.
MAX_SHEET_ROWS = 100_000
# Cells read of each row: the import reads 25 columns; the rest are named, not kept.
MAX_SHEET_COLUMNS = 200
