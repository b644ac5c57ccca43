"""Hostile characters in goal files, as anyone's pull request could put them there:
the line breaks YAML 1.1 counts and editors do not show (NEL U+0085, LS U+2028, PS
U+2029), the characters YAML refuses (form feed, NUL, escape...), '\\r\\n' and lone
'\\r' line endings, and a check-in spread over several lines.

Every error sits at the line an editor shows, and says in one line of our own words
which invisible or refused character is where. Each case asserts the exact outcome.
Part of the adversarial suite (tests/test_hostile_*.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrsite.commands.cli import main
from okrsite.diagnostics import DataError
from okrsite.limits import MAX_DEPTH
from okrsite.source.loader import load

from orgkit import COMPANY, FILES, GROWTH, write_goals

NEL, LS, PS = "\x85", "\u2028", "\u2029"
HIDDEN = {
    NEL: "next-line character (U+0085)",
    LS: "line separator (U+2028)",
    PS: "paragraph separator (U+2029)",
}

# COMPANY's line 17 ('baseline: 102' in key result 'nrr'), made wrong: an error whose
# line every case below can check.
BAD_BASELINE = (
    "goals/2026-Q3/company.yaml:17: 'baseline' in key result 'nrr' must be a number, "
    "got '1o2': write the number alone (4.2, not '4.2%'); the unit goes in 'unit'"
)


def errors(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """The data errors of a real goals folder holding ``files``, as printed."""
    # Bytes: written exactly as given, whatever line breaks and characters they hold.
    goals = write_goals(tmp_path, {name: text.encode("utf-8") for name, text in files.items()})
    with pytest.raises(DataError) as info:
        load(goals)
    return [str(d) for d in info.value.diagnostics]


def company(*swaps: tuple[str, str], base: str = COMPANY) -> dict[str, str]:
    """FILES with company.yaml edited: each (old, new) replaced once."""
    text = base
    for old, new in swaps:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {**FILES, "2026-Q3/company.yaml": text}


WRONG = ("baseline: 102", "baseline: 1o2")


def hidden_break(path: str, line: int, char: str) -> str:
    return (
        f"{path}:{line}: YAML syntax error: this line holds an invisible {HIDDEN[char]}, "
        "which YAML reads as a line break: remove it (or quote the text that holds it)"
    )


# -- hidden line breaks that change nothing do not move the lines -----------------------

HARMLESS = {
    # A comment that ends in one: libyaml counts a line more, the editor does not.
    "end of a comment": ("  - id: retention", "  - id: retention  # the big one{c}"),
    "end of a value": ("    owner: maria", "    owner: maria {c}"),
    "a run of them": ("period: 2026-Q3", "period: 2026-Q3  # {c}{c} {c}{c}"),
    "inside a comment line": ("team: company", "team: company # a{c} {c}"),
}


@pytest.mark.parametrize("char", [NEL, LS, PS], ids=["NEL", "LS", "PS"])
@pytest.mark.parametrize("where", sorted(HARMLESS))
def test_a_hidden_break_before_an_error_does_not_move_its_line(
    tmp_path: Path, char: str, where: str
):
    old, new = HARMLESS[where]
    files = company((old, new.format(c=char)), WRONG)
    assert errors(tmp_path, files) == [BAD_BASELINE]


def test_hidden_breaks_inside_a_quoted_text_do_not_move_later_lines(tmp_path: Path):
    # One of each in a quoted title (line 5), and the nesting error at line 18: libyaml
    # alone would say line 21.
    title = "    title: Make retention our strongest growth lever"
    files = company(
        (title, f'    title: "Make{LS}retention{PS}our{NEL}strongest growth lever"'),
        ("target: 110", "target: " + "[" * (MAX_DEPTH + 1)),
    )
    assert errors(tmp_path, files) == [
        f"goals/2026-Q3/company.yaml:18: lists and mappings nested more than {MAX_DEPTH} "
        "levels deep: a goal file needs six at most (objectives, key results, check-ins); "
        "look for a '[' or '{' that is never closed"
    ]


def test_a_syntax_error_below_a_hidden_break_is_at_the_editor_line(tmp_path: Path):
    # The same error as in the file without the hidden breaks, at the same line (the
    # words are libyaml's, so they are compared with its own on the plain file).
    title = "    title: Make retention our strongest growth lever"
    broken = ("target: 110", "target: 110: 120")
    hostile = errors(tmp_path / "a", company((title, f'    title: "Make{LS}{LS}{PS}x"'), broken))
    plain = errors(tmp_path / "b", company((title, '    title: "Make x"'), broken))
    assert hostile == plain
    assert hostile[0].startswith("goals/2026-Q3/company.yaml:18: YAML syntax error: ")


def test_aliases_and_duplicate_keys_below_hidden_breaks_are_at_editor_lines(tmp_path: Path):
    files = company(
        ("team: company", f"team: company  # {LS}{LS}"),
        ("baseline: 4.2", "baseline: &b 4.2"),
        ("target: 110", "target: *b"),
    )
    assert errors(tmp_path / "a", files) == [
        "goals/2026-Q3/company.yaml:18: YAML aliases (*name) are not allowed in goal files: "
        "they can expand into huge documents; write the value out in full"
    ]
    files = company(("team: company", f"team: company  # {PS}"), ("target: 110", "baseline: 5"))
    assert errors(tmp_path / "b", files) == [
        "goals/2026-Q3/company.yaml:18: duplicate key 'baseline' (first at line 17); YAML "
        "would silently keep only the last one: remove or merge one"
    ]


# -- hidden line breaks that cut a line in two are named where they are -----------------

CUTS = {
    # A plain title cut in two: libyaml reads 'strongest...' as a key on a new line.
    "plain title": (5, ("title: Make retention our", "title: Make retention{c}our")),
    # A comment that ends early: what follows it is read as YAML, a key nobody sees.
    "comment": (4, ("  - id: retention", "  - id: retention  # note{c}hidden: x")),
    # A check-in's comment ends early: 'confidence' is read although it looks commented.
    "flow comment": (
        14,
        ("value: 3.6, confidence", "value: 3.6, # note{c} confidence"),
    ),
    # A key cut in two.
    "key": (10, ("kpi: gross-churn", "kp{c}i: gross-churn")),
    # A list item that shows as one item and is read as two.
    "list item": (14, ("confidence: 0.7}", "confidence: 0.7}}{c}- {{date: 2026-07-13}}")),
}


@pytest.mark.parametrize("char", [NEL, LS, PS], ids=["NEL", "LS", "PS"])
@pytest.mark.parametrize("where", sorted(CUTS))
def test_a_hidden_break_that_cuts_a_line_is_named_at_its_line(
    tmp_path: Path, char: str, where: str
):
    line, (old, new) = CUTS[where]
    files = company((old, new.format(c=char)))
    assert errors(tmp_path, files) == [hidden_break("goals/2026-Q3/company.yaml", line, char)]


def test_a_hidden_break_that_hides_a_key_in_a_comment_is_refused(tmp_path: Path):
    # YAML reads it without an error: 'unit: EUR' would be a key of the key result,
    # while an editor and a review show a comment.
    files = company(("        kpi: gross-churn", f"        kpi: gross-churn  # old{LS}unit: EUR"))
    assert errors(tmp_path, files) == [hidden_break("goals/2026-Q3/company.yaml", 10, LS)]


# -- characters YAML refuses ------------------------------------------------------------

REFUSED = {
    "\x0c": "a form feed (U+000C)",
    "\x00": "a NUL character (U+0000)",
    "\x1b": "an escape character (U+001B)",
    "\x07": "a bell character (U+0007)",
    "\x08": "a backspace character (U+0008)",
    "\x0b": "a vertical tab (U+000B)",
    "\x7f": "a delete character (U+007F)",
    "\x01": "a control character (U+0001)",
    "\x9b": "a control character (U+009B)",
    "\ufffe": "a noncharacter (U+FFFE)",
}


def refused(path: str, line: int, what: str) -> str:
    return (
        f"{path}:{line}: YAML syntax error: this line holds {what}, which YAML does not "
        "allow: remove it"
    )


@pytest.mark.parametrize("char", sorted(REFUSED), ids=lambda c: f"U+{ord(c):04X}")
def test_a_refused_character_is_named_at_its_line(tmp_path: Path, char: str):
    # Line 14 of growth.yaml, far from the start: PyYAML said line 1, in two lines.
    text = GROWTH.replace("title: Get 45%", f"title: Get{char} 45%")
    assert errors(tmp_path, {**FILES, "2026-Q3/growth.yaml": text}) == [
        refused("goals/2026-Q3/growth.yaml", 14, REFUSED[char])
    ]


def test_a_refused_character_in_a_comment_after_hidden_breaks(tmp_path: Path):
    # The first refused character, counted in editor lines (its position from libyaml
    # is in bytes, and libyaml's lines count the hidden breaks).
    files = company(
        ("team: company", f"team: company  # é{LS}{LS}"),
        ("      - id: nrr", "      - id: nrr  # ünïcode\x0c"),
        ("target: 110", "target: 110 # \x00"),
    )
    assert errors(tmp_path, files) == [refused("goals/2026-Q3/company.yaml", 15, REFUSED["\x0c"])]


# -- line endings -------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_windows_and_old_mac_line_endings_keep_editor_lines(tmp_path: Path, ending: str):
    # '\r\n' is one line break and a lone '\r' is one, to libyaml as to an editor; a
    # hidden break in a comment is none to the editor.
    files = company(("team: company", f"team: company  # {LS}"), WRONG)
    files["2026-Q3/company.yaml"] = files["2026-Q3/company.yaml"].replace("\n", ending)
    assert errors(tmp_path, files) == [BAD_BASELINE]


def test_a_form_feed_in_a_file_with_lone_carriage_returns(tmp_path: Path):
    text = GROWTH.replace("title: Get 45%", "title: Get\x0c 45%").replace("\n", "\r")
    assert errors(tmp_path, {**FILES, "2026-Q3/growth.yaml": text}) == [
        refused("goals/2026-Q3/growth.yaml", 14, REFUSED["\x0c"])
    ]


# -- a check-in over several lines --------------------------------------------------------


def test_keys_of_a_check_in_over_several_lines_are_at_their_own_lines(tmp_path: Path):
    checkin = "          - {date: 2026-07-06, value: 3.6, confidence: 0.7}"
    spread = (
        "          - {date: 2026-07-06,\n             value: 3.6,\n             confidnce: 0.7}"
    )
    assert errors(tmp_path / "a", company((checkin, spread))) == [
        "goals/2026-Q3/company.yaml:16: unknown key 'confidnce' in check-in #1 of key "
        "result 'churn'; did you mean 'confidence'?"
    ]
    # On one line, as check-ins are written, its keys share the item's line.
    files = company(("confidence: 0.7}", "confidnce: 0.7}"))
    assert errors(tmp_path / "b", files) == [
        "goals/2026-Q3/company.yaml:14: unknown key 'confidnce' in check-in #1 of key "
        "result 'churn'; did you mean 'confidence'?"
    ]


# -- the command line ---------------------------------------------------------------------


def test_validate_prints_one_annotation_a_problem_at_editor_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)  # paths shown from the working folder, as in CI
    files = company(("title: Make retention our", f"title: Make retention{LS}our"))
    files["2026-Q3/growth.yaml"] = GROWTH.replace("title: Get 45%", "title: Get\x0c 45%")
    goals = write_goals(tmp_path, {name: text.encode("utf-8") for name, text in files.items()})
    assert main(["validate", "--format", "github", goals.name]) == 2
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "::error file=goals/2026-Q3/company.yaml,line=5,title=okrsite data error::YAML "
        f"syntax error: this line holds an invisible {HIDDEN[LS]}, which YAML reads as a "
        "line break: remove it (or quote the text that holds it)",
        "::error file=goals/2026-Q3/growth.yaml,line=14,title=okrsite data error::YAML "
        "syntax error: this line holds a form feed (U+000C), which YAML does not allow: "
        "remove it",
    ]
