"""The line reader (okrsite.source.yamlfast) gives exactly what libyaml's path gives, values
and lines, or declines. Every case says which it expects: a reader that always
declined would be correct and useless, so the everyday shapes must be read."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from okrsite.source import yamlfast
from okrsite.source.yamlsafe import parse_with_libyaml

from orgkit import same

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "goals").rglob("*.yaml"))


def _agrees(text: str) -> bool:
    """Whether the line reader reads ``text``; if it does, it must agree with libyaml."""
    fast = yamlfast.read(text)
    if fast is None:
        return False
    doc, diags = parse_with_libyaml(text, "f.yaml")
    assert not diags, f"read a text libyaml refuses: {text!r}: {diags}"
    assert doc is not None
    assert same(fast[0], doc.data), f"{text!r}: {fast[0]!r} != {doc.data!r}"
    assert fast[1] == doc.lines, f"{text!r}: lines {fast[1]} != {doc.lines}"
    return True


READ = [
    "a: 1\nb: two\n",
    "a:\n  b:\n    c: 1\n  d: [x]\n"[:-9] + "  d: 2\n",
    "list:\n- a\n- b\nnext: 1\n",  # a list at its key's column
    "list:\n  - a\n  -   b\n",
    "- a\n- b: 1\n  c: 2\n-\n  d: 3\n",  # root list; an item's value on the next line
    "empty:\nnext: 1\nlast:\n",
    "# comment\n\na: 1  # trailing\n   # indented comment\nb: x#y\n",
    "a: yes\nb: ~\nc: null\nd: 0.777\ne: .5\nf: -5\ng: 1e3\nh: 2026-07-01\ni: 2026-13-40\n",
    "a: 'it''s: # fine'\nb: \"x: y # z\"  # comment\nc: ''\n",
    "yes: 1\nnull: 2\non: 3\n",  # keys stay text
    "t: Ship it! R&D, Q&A [draft] {x} C# 50%\n",
    "c:\n  - {date: 2026-07-06, value: 18.8, confidence: 0.3}\n  - {}\n",
    'c:\n  - {date: 2026-07-06, value: 1, note: "Shipped, at last: {v2}"}\n',
    "c: {note: 'it''s', v: -1 }  # comment\n",
    "d: |\n  one\n  two\n\n  three\n\n\nnext: 1\n",
    "d: |-\n  one\n  two\nnext: 1\n",
    "d: >\n  folded\n  text\n\n  para\n\n\n  after two\n",
    "d: >-\n  trailing  \n  spaces\n",
    "- d: >-\n    in a list\n    item\n  e: 1\n",
    "d: |\n  # not a comment\n  - not an item\n",
    "d: |\n  x\n  \n y\n"[:-4] + "e: 1\n",  # a blank line made of spaces
    "a: |\n  x",  # no final newline: no line break to keep
    "a: >\n  x\n  y",
    "- |\n  x",
    "a: |\n  x\n\n",
    "a: |\n  x\n  ",
    "a: x",
    "c:\n  - {date: 2026-07-06, value: 1}",
]

DECLINED = [
    "",  # empty document
    "# only a comment\n",
    "plain text\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 5\n",
    "a: [1, 2]\n",
    "a: multi\n  line\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\n"\n',
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "\ufeffa: 1\n",
    "a: 1\na: 2\n",  # duplicate keys: libyaml's path explains them
    "'a': 1\n",
    "a b: 1\n",
    "<<: {a: 1}\n",
    "a: b: c\n",
    "a: b:\n",
    "a:b\n",
    "---\na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n  b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "- - a\n",
    "-\n- a\n",
    "a: 1_000\n",
    "a: 0x1F\n",
    "a: 0777\n",
    "a: 12:30\n",
    "a: .inf\n",
    "a: =\n",
    "a: |2\n  x\n",
    "a: |+\n  x\n",
    "a: |\n\n  x\n",
    "a: |\nb: 1\n",  # an empty block scalar
    "- a: >\n  b: 1\n",
    "a: >\n  x\n    deeper\n",
    "a: |\n  x\n   \n",  # a blank line with more spaces than the indentation
    "a: {b: {c: 1}}\n",
    "a: {b: 1\n",
    "a: {b: 1, b: 2}\n",
    "a: {b: 1,}\n",
    "a: {b: x:y}\n",
    "a: {b: 'x'y}\n",
    "a: @x\n",
    "a: `x`\n",
    "a: ?x\n",
    "a: - x\n",
    "a: 'x' y\n",
    "a: {b: 1} y\n",
    "a: x\u2028b: y\n",
    "k" * 1100 + ": 1\n",  # libyaml allows 1,024 characters from a key to its ':'
    "a: {" + "k" * 1100 + ": 1}\n",
    "a: x\x85y\n",
    # The other hidden line breaks, a lone '\r' and the characters YAML refuses: libyaml's
    # path turns its lines into an editor's, or names the character.
    "a: x\u2029y\n",
    'a: "x\u2028y"\n',
    "# note\u2028\na: 1\n",
    "a: 1\rb: 2\r",
    "a: x\x0cy\n",
    "a: x\x00y\n",
    "a: x\x1by\n",
    "a: x\x7fy\n",
    "a: x\ufffey\n",
    "a: {b:  }\n",  # a value of spaces is a null
    "- {date: 2026-07-06, value:  }\n",
    "a: {n: 'x', v:  }\n",
]


@pytest.mark.parametrize("text", READ)
def test_everyday_shapes_are_read_as_libyaml_reads_them(text: str):
    assert _agrees(text)


@pytest.mark.parametrize("text", DECLINED)
def test_everything_else_is_left_to_libyaml(text: str):
    assert yamlfast.read(text) is None


def test_long_runs_of_spaces_take_no_time():
    """A line that does not match, with long runs of spaces: a pattern with two parts
    that can both take the spaces backtracks cubically (2,000 spaces took 14 s; these
    would take hours). Run apart, so that a regression fails instead of hanging."""
    texts = [
        "a: {a: 'x', b:" + " " * 20_000 + "#}\n",
        "a: {b:" + " " * 20_000 + "#}\n",
        "a: {b: x" + " " * 20_000 + "x" + " " * 20_000 + ":}\n",
        "a: {n: 'q', b: x" + " " * 20_000 + "x" + " " * 20_000 + ":}\n",
    ]
    code = "import sys, json; from okrsite.source import yamlfast; "
    code += "print([yamlfast.read(t) for t in json.load(sys.stdin)])"
    run = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=30,  # milliseconds when linear
    )
    assert run.stdout.strip() == "[None, None, None, None]", run.stderr


def test_deep_block_nesting_is_left_to_libyaml():
    text = "".join(f"{' ' * 2 * i}k{i}:\n" for i in range(60)) + " " * 120 + "v: 1\n"
    assert yamlfast.read(text) is None
    shallow = "".join(f"{' ' * 2 * i}k{i}:\n" for i in range(10)) + " " * 20 + "v: 1\n"
    assert _agrees(shallow)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_goal_files_are_read_by_the_line_reader(path: Path):
    assert _agrees(path.read_text(encoding="utf-8"))


# What a slip of the keyboard puts into a goal file.
_TYPOS = [*" :#-'\"{}[],|>&*!?%@`\\\t", "\n", "  ", ": ", " #", "''", "- "]


def _mutants(text: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = text.split("\n")
    out = []
    for _ in range(count):
        mutant = list(lines)
        for _ in range(rng.randint(1, 3)):
            if not mutant:
                break
            i = rng.randrange(len(mutant))
            line = mutant[i]
            at = rng.randint(0, len(line))
            action = rng.randrange(7)
            if action == 0:  # insert a character that means something to YAML
                mutant[i] = line[:at] + rng.choice(_TYPOS) + line[at:]
            elif action == 1 and line:  # delete one
                mutant[i] = line[: at - 1] + line[at:] if at else line[1:]
            elif action == 2:  # indent or outdent the line
                mutant[i] = " " * rng.choice([1, 2, 4]) + line if rng.random() < 0.5 else line[2:]
            elif action == 3:  # repeat a line elsewhere (duplicate keys, items)
                mutant.insert(rng.randrange(len(mutant)), line)
            elif action == 4:  # drop a line
                del mutant[i]
            elif action == 5:  # a run of spaces
                mutant[i] = line[:at] + " " * rng.randint(2, 12) + line[at:]
            else:  # cut the end of the file, final newline and all
                del mutant[rng.randint(1, len(mutant)) :]
        out.append("\n".join(mutant))
    return out


def test_mutated_goal_files_are_read_right_or_declined():
    """Typos in real goal files: whatever the line reader accepts, libyaml's path
    reads the same way, and it still accepts most single slips that stay valid."""
    read = declined = 0
    for n, path in enumerate(EXAMPLES):
        for mutant in _mutants(path.read_text(encoding="utf-8"), 150, seed=n):
            if _agrees(mutant):
                read += 1
            else:
                declined += 1
    assert read > 1000 and declined > 1000, (read, declined)
