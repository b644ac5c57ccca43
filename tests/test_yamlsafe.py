"""The strict YAML reader gives exactly what PyYAML's safe loader gives, except where
it refuses on purpose (aliases, merge keys, duplicate keys) or keeps text (keys,
impossible dates). It resolves plain scalars itself, so every implicit type is
compared here against PyYAML on the same text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from okrsite.source.yamlsafe import parse
from okrsite.source.yamlscalars import may_hold_anchor

from orgkit import same

GOALS = Path(__file__).resolve().parent.parent / "goals"

SCALARS = [
    "2026-05-01",
    "'2026-05-01'",
    "2026-05-01 10:00:00",
    "2026-05-01T10:00:00Z",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "true",
    "False",
    "tRue",
    "null",
    "Null",
    "~",
    "",
    "'null'",
    "0",
    "-0",
    "+5",
    "0o17",
    "1_000",
    "18.8",
    ".5",
    "1.",
    "1e3",
    "1.0e+3",
    "6.02e+23",
    ".inf",
    "-.Inf",
    ".NaN",
    "'<<'",
    '"5"',
    "'it''s'",
    '"tab\\there \\u00e9"',
    "!!str 5",
    "!!int '7'",
    "!!float 3",
    "café ✓",
    "Ship it!",
    "R&D and Q&A",
    "Use **Markdown** bold",
    "x # comment",
    "x#not-a-comment",
    "[1, two, 2026-01-02]",
    "{a: 1, b: yes}",
    "|\n  line one\n  line two\n",
    ">\n  folded\n  text\n\n  para\n",
]


def test_same_is_strict_about_types():
    assert same({"a": [1, 2.0, None]}, {"a": [1, 2.0, None]})
    assert not same({"a": [1]}, {"a": [True]})
    assert not same({"a": 1}, {"a": 1.0})


@pytest.mark.parametrize("scalar", SCALARS)
def test_values_match_pyyaml_safe_load(scalar: str):
    text = f"value: {scalar}\n"
    if "\n" not in scalar and "#" not in scalar:  # again as a list item and in a flow map
        text += f"list:\n  - {scalar}\n  - {{v: {scalar}}}\n"
    doc, diags = parse(text, "f.yaml")
    assert not diags
    assert doc is not None
    assert same(doc.data, yaml.safe_load(text))


@pytest.mark.parametrize("scalar", ["1_000", "+5", "-0", "1.50", ".5", "6.0e+3", "01.5"])
def test_numbers_written_otherwise_keep_their_text(scalar: str):
    """YAML 1.1 reads these as the numbers they look like, written another way: a
    number field takes the number, a text field the text as written."""
    text = f"value: {scalar}\nlist:\n  - {scalar}\n  - {{v: {scalar}}}\n"
    doc, diags = parse(text, "f.yaml")
    assert not diags and doc is not None
    expected = yaml.safe_load(text)
    for got, want in [
        (doc.data["value"], expected["value"]),
        (doc.data["list"][0], expected["list"][0]),
        (doc.data["list"][1]["v"], expected["list"][1]["v"]),
    ]:
        assert got == want and str(got) == scalar


@pytest.mark.parametrize(
    "scalar", ["0755", "0777", "0x1f", "0x1F", "0b101", "12:30", "1:30", "190:20:30.15", "-010"]
)
def test_numbers_yaml_reads_otherwise_than_they_look_stay_text(scalar: str):
    """PyYAML reads 0755 as 493, 0x1f as 31, 12:30 as 750 (octal, hex, base 60): no
    author means that. okrsite keeps such a value as the text written (a number
    field then refuses it with the fix)."""
    text = f"value: {scalar}\nlist:\n  - {scalar}\n  - {{v: {scalar}}}\n"
    doc, diags = parse(text, "f.yaml")
    assert not diags and doc is not None
    assert isinstance(yaml.safe_load(text)["value"], int | float)
    assert doc.data == {"value": scalar, "list": [scalar, {"v": scalar}]}


@pytest.mark.parametrize("digits", [20, 4_301, 100_000])
def test_whole_numbers_of_any_length_are_no_crash(digits: int):
    """Python refuses int() of over 4,300 digits; a long number is its float (inf)."""
    text = "value: " + "7" * digits + "\n"
    doc, diags = parse(text, "f.yaml")
    assert not diags and doc is not None
    assert doc.data["value"] == float("7" * digits) and str(doc.data["value"]) == "7" * digits


def test_explicit_timestamp_with_a_final_newline():
    text = 'a: !!timestamp "2026-01-02\\n"\n'
    doc, _ = parse(text, "f.yaml")
    assert doc is not None and same(doc.data, yaml.safe_load(text))


def test_keys_stay_text_and_impossible_dates_stay_text():
    # PyYAML would make keys 1, True and None, and fail on the date and on '='.
    doc, diags = parse("1: a\ntrue: b\nnull: c\n'<<': d\nwhen: 2026-13-40\neq: =\n", "f.yaml")
    assert doc is not None and not diags
    assert doc.data == {
        "1": "a",
        "true": "b",
        "null": "c",
        "<<": "d",
        "when": "2026-13-40",
        "eq": "=",
    }


@pytest.mark.parametrize("path", sorted(GOALS.rglob("*.yaml")), ids=lambda p: p.name)
def test_example_files_match_pyyaml(path: Path):
    text = path.read_text(encoding="utf-8")
    doc, diags = parse(text, path.name)
    assert not diags and doc is not None
    assert same(doc.data, yaml.safe_load(text))


ALIASES_REFUSED = "YAML aliases (*name) are not allowed in goal files"


@pytest.mark.parametrize(
    ("text", "anchored", "scan"),
    [
        # no anchor, and the scan knows it (the fast path)
        ("a: R&D\nb: Q & A\nc: AT&T\n", False, False),
        ("a: Use **bold** and *em*\n", False, False),
        ("a: x &\n", False, False),
        # no anchor, but the scan is unsure: it may say yes, which only costs time
        ("a: (&x)\nc: '&x'\n", False, True),
        # anchors, wherever a node can start
        ("a: &x 1\n", True, True),
        ("- &x 1\n", True, True),
        ("&top\na: 1\n", True, True),
        ("a: [&x 1, *x]\n", True, True),
        ("a: {k: 1,&x j: 2}\n", True, True),
        ("a:\t&x 1\n", True, True),
        ('{"a":&x 1}\n', True, True),
        # after libyaml's other line breaks, and after a BOM at the start of a line
        ("a: [1,\u2028&x [3, 4], *x]\n", True, True),
        ("a: [1,\u2029&x [3, 4], *x]\n", True, True),
        ("a: [1,\n\ufeff&x [3, 4], *x]\n", True, True),
    ],
)
def test_anchor_scan_never_misses_an_anchor(text: str, anchored: bool, scan: bool):
    events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    assert any(getattr(e, "anchor", None) for e in events) is anchored
    assert may_hold_anchor(text) is scan
    if "*x" in text:  # and the alias is refused, not expanded
        doc, diags = parse(text, "f.yaml")
        assert doc is not None and None in doc.data["a"]
        assert [d.message for d in diags] == [
            ALIASES_REFUSED + ": they can expand into huge documents; write the value out in full"
        ]


def test_aliases_refused_with_markdown_bold_around():
    text = "intro: '**bold**'\nbase: &b {x: 1}\nother: *b\n"
    doc, diags = parse(text, "f.yaml")
    assert doc is not None
    assert [d.message.split(":")[0] for d in diags] == [
        "YAML aliases (*name) are not allowed in goal files"
    ]
    assert doc.data["other"] is None


@pytest.mark.parametrize(
    "text",
    [
        "c: {a: &v 1, b: *v}\n",  # within one flow mapping
        "&x b: 2\nc: *x\n",  # an anchored key used as a value
        "a: &x k\n*x : 1\n",  # an alias as a key
    ],
)
def test_every_alias_is_refused(text: str):
    _doc, diags = parse(text, "f.yaml")
    assert [d.message[: len(ALIASES_REFUSED)] for d in diags] == [ALIASES_REFUSED]


@pytest.mark.parametrize(
    "text",
    [
        "base: {x: 1}\nc:\n  <<: {y: 2}\n",
        "c:\n  !!merge k: {y: 2}\n  z: 3\n",
        "c: {!!merge k: {y: 2}}\n",
    ],
)
def test_merge_keys_refused_plain_or_tagged(text: str):
    doc, diags = parse(text, "f.yaml")
    assert [d.message[:30] for d in diags] == ["YAML merge keys (<<) are not a"]
    assert doc is not None and "y" not in str(doc.data)


def test_alias_without_anchor_is_a_syntax_error():
    doc, diags = parse("a: *nothing\n", "f.yaml")
    assert doc is None
    assert "found undefined alias" in diags[0].message
    assert "aliases are not allowed" in diags[0].message


@pytest.mark.parametrize(
    "text", ["a: !!bool maybe", "a: !!timestamp x", "a: !!int x", "a: !!float 1.2.3"]
)
def test_bad_explicit_tags_keep_their_text(text: str):
    # PyYAML's constructors raise KeyError/AttributeError here: no traceback may escape.
    doc, diags = parse(text, "f.yaml")
    assert doc is not None and not diags
    assert doc.data == {"a": text.split()[-1]}


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: " + "[" * 1500 + "]" * 1500 + "\n",  # deeper than our walk recurses
        "a: 1\nb: " + "{x: " * 100_000 + "}" * 100_000 + "\n",  # overflowed libyaml's stack
        "a: 1\nb:\n" + "- " * 30_000 + "x\n",
    ],
    ids=["flow-1500", "flow-100000", "block-30000"],
)
def test_absurd_nesting_is_an_error_not_a_crash(text: str):
    doc, diags = parse(text, "f.yaml")
    assert doc is None
    assert [str(d)[:40] for d in diags] == [
        "f.yaml:" + ("3" if "- " in text else "2") + ": lists and mappings nested more"
    ]
