"""Mutation testing of okrsite's scoring, chain and at-a-glance states, with nothing but
the standard library.

Each mutant is one small change to okrsite/model/scoring.py, chain.py or attention.py (a
comparison, an operator, a constant, ``and``/``or``, ``min``/``max``, a ``not``, a
returned value, ``True``/``False``). It is applied to a COPY of the package in a
temporary folder, never to the checkout, and the fast tests of the core are run against
that copy. A mutant is killed when the tests fail (or time out), and survives when they
pass: then either a test is missing, or the mutant cannot change behaviour (it is
"equivalent"); equivalent mutants are listed in this script's EQUIVALENT with the
reason, and in docs/guide/scoring.md.

Run from the repository root:

    python scripts/mutants.py            # every mutant, 2 at a time
    python scripts/mutants.py --list     # what would be run
    python scripts/mutants.py --only kpi_state -v   # those whose description has it

The exit status is 0 when every mutant is killed or listed as equivalent, 1 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("okrsite/model/scoring.py", "okrsite/model/chain.py", "okrsite/model/attention.py")
TESTS = (
    "tests/test_core_units.py",
    "tests/test_scoring_pinned.py",
    "tests/test_source_units.py",
    "tests/test_chain_pages.py",  # its fast tests: the KPI trees of three organisations
    "tests/test_attention.py",  # the at-a-glance states, cut and needs-attention lists
)
# What the tests need besides the package: their conftest, their kit, the pytest settings.
SUPPORT = ("tests/conftest.py", "tests/orgkit.py", "pyproject.toml")
# Goal folders the tests read: the example's and two fixtures'.
FOLDERS = ("goals", "tests/fixtures/hospital", "tests/fixtures/ledgerly")
PYTEST = ("-m", "pytest", "-q", "-x", "-m", "not site", "-p", "no:cacheprovider")
SANITY = "mutants.py sanity check: the copy is imported"

# Mutants that cannot change behaviour, keyed by (file, function, change, code changed).
# Keyed by function rather than line so that edits elsewhere in the file keep the list.
EQUIVALENT: dict[tuple[str, str, str, str], str] = {
    ("scoring.py", "kpi_state", "`>` -> `>=`", "current > previous"): (
        "reached only when current != previous (equal values are 'flat' before it)"
    ),
    ("scoring.py", "kpi_state", "`<` -> `<=`", "current < previous"): (
        "reached only when current != previous (equal values are 'flat' before it)"
    ),
    ("scoring.py", "elapsed_share", "`>` -> `>=`", "today > end"): (
        "on the last day both give 1.0: (days + 1) / (days + 1)"
    ),
    ("chain.py", "prune", "True -> False", "True"): (
        "zip(..., strict=True) of two lists built the same length: strict never fires"
    ),
    ("chain.py", "_kind_rank", "2 -> 3", "2"): (
        "objectives stay last either way: 3 is as much above 0 and 1 as 2 is"
    ),
    ("chain.py", "_kind_rank", "0 -> -1", "0"): (
        "key results stay first either way: -1 is below 1 and 2 as 0 is"
    ),
}

COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.Gt, ast.LtE),
    ast.Gt: (ast.Lt, ast.GtE),
    ast.LtE: (ast.GtE, ast.Lt),
    ast.GtE: (ast.LtE, ast.Gt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
BINOP_SWAPS: dict[type[ast.operator], tuple[type[ast.operator], ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Div,),
    ast.Div: (ast.Mult,),
    ast.FloorDiv: (ast.Div,),
    ast.Mod: (ast.Mult,),
}
SYMBOL = {
    ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.And: "and", ast.Or: "or",
}  # fmt: skip


@dataclass(frozen=True)
class Mutant:
    """One change to one target file."""

    path: str  # relative to the repository root
    line: int
    function: str  # the enclosing function or class, "" at module level
    change: str  # e.g. "`<` -> `<=`"
    code: str  # the original code that the change replaces
    source: str  # the whole mutated file

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (Path(self.path).name, self.function, self.change, self.code)

    def __str__(self) -> str:
        where = f"{Path(self.path).name}:{self.line}"
        return f"{where} {self.function or '<module>'}: {self.change} in `{self.code}`"


# -- generating mutants ---------------------------------------------------------------------


def _variants(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """(replacement node, change) for every mutation of ``node`` itself."""
    if isinstance(node, ast.Compare):
        for i, cmpop in enumerate(node.ops):
            for other_cmp in COMPARE_SWAPS.get(type(cmpop), ()):
                compare = copy.deepcopy(node)
                compare.ops[i] = other_cmp()
                yield compare, f"`{SYMBOL[type(cmpop)]}` -> `{SYMBOL[other_cmp]}`"
    elif isinstance(node, ast.BinOp):
        for other_op in BINOP_SWAPS.get(type(node.op), ()):
            binop = copy.deepcopy(node)
            binop.op = other_op()
            yield binop, f"`{SYMBOL[type(node.op)]}` -> `{SYMBOL[other_op]}`"
    elif isinstance(node, ast.BoolOp):
        boolop = copy.deepcopy(node)
        boolop.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield boolop, f"`{SYMBOL[type(node.op)]}` -> `{SYMBOL[type(boolop.op)]}`"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield node.operand, "`not` removed"
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield ast.Constant(not node.value), f"{node.value} -> {not node.value}"
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        step = 1 if isinstance(node.value, int) else 0.1
        for value in (node.value + step, node.value - step):
            value = round(value, 10) if isinstance(value, float) else value
            yield ast.Constant(value), f"{node.value!r} -> {value!r}"
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("min", "max")
    ):
        call = copy.deepcopy(node)
        name = "max" if node.func.id == "min" else "min"
        call.func = ast.Name(name, ast.Load())
        yield call, f"`{node.func.id}` -> `{name}`"


def _offset(lines: list[bytes], lineno: int, col: int) -> int:
    # ast columns count UTF-8 bytes, so positions are computed on the encoded text.
    return sum(len(line) for line in lines[: lineno - 1]) + col


def _replace(text: str, node: ast.AST, replacement: str) -> str:
    data = text.encode("utf-8")
    lines = data.splitlines(keepends=True)
    start = _offset(lines, node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = _offset(lines, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return (data[:start] + replacement.encode("utf-8") + data[end:]).decode("utf-8")


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """Every node that may be mutated, with the name of its enclosing function or class.

    Docstrings, annotations and f-strings are left alone: changing them changes no
    behaviour that the tests could see, or their positions are not reliable.
    """

    def walk(node: ast.AST, scope: str) -> Iterator[tuple[ast.AST, str]]:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope = node.name if not scope else f"{scope}.{node.name}"
        if isinstance(node, ast.JoinedStr):
            return
        yield node, scope
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "decorator_list"):
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    yield from walk(child, scope)

    yield from walk(tree, "")


def mutants_of(path: str) -> list[Mutant]:
    """Every mutant of the file at ``path`` (relative to the repository root)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    tree = ast.parse(text)
    original = ast.dump(tree)
    found: list[Mutant] = []
    seen: set[str] = set()
    for node, scope in _sites(tree):
        edits = [(node, f"({ast.unparse(new)})", change) for new, change in _variants(node)]
        value = node.value if isinstance(node, ast.Return) else None
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            edits.append((value, "None", "return None"))
        for target, replacement, change in edits:
            source = _replace(text, target, replacement)
            if source in seen or ast.dump(ast.parse(source)) == original:
                continue
            seen.add(source)
            code = " ".join((ast.get_source_segment(text, target) or "").split())
            line = target.lineno  # type: ignore[attr-defined]
            found.append(Mutant(path, line, scope, change, code, source))
    return found


# -- running the tests against a copy -------------------------------------------------------


def make_copy(where: Path) -> Path:
    """A copy of the package and of what the tests need, under ``where``."""
    shutil.copytree(
        ROOT / "okrsite", where / "okrsite", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in (*SUPPORT, *TESTS):
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, where / name)
    for name in FOLDERS:
        shutil.copytree(ROOT / name, where / name)
    return where


def run_tests(where: Path, timeout: float, argv: tuple[str, ...] = ()) -> tuple[str, str]:
    """("passed" | "failed" | "timeout" | "error", output) of the tests run in the copy.

    The copy's folder is the working directory and the first entry of PYTHONPATH, so its
    okrsite is imported, not the checkout's (the editable install comes later on the
    path); no bytecode is written, so a mutant of the same size and second as the one
    before it cannot be run from a stale .pyc.
    """
    env = {**os.environ, "PYTHONPATH": str(where), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, *(argv or (*PYTEST, *TESTS))]
    proc = subprocess.Popen(
        command,
        cwd=where,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the test run we started, and its children
        proc.communicate()
        return "timeout", ""
    if proc.returncode == 0:
        return "passed", output
    # 1: tests failed; 2: interrupted (an import error in the mutant); 5: no tests ran
    return ("failed" if proc.returncode in (1, 2) else "error"), output


def check_copy(where: Path, timeout: float) -> None:
    """Refuse to go on unless the copy is what the tests import and they pass on it."""
    code = (
        "import okrsite.model.scoring as s, okrsite.model.chain as c; print(s.__file__, c.__file__)"
    )
    status, output = run_tests(where, timeout, ("-c", code))
    files = output.split()
    if status != "passed" or not all(Path(f).is_relative_to(where) for f in files):
        sys.exit(f"mutants.py: the copy is not what is imported: {output.strip()}")
    status, output = run_tests(where, timeout)
    if status != "passed":
        sys.exit(f"mutants.py: the tests fail without any mutant:\n{output}")
    for target in TARGETS:
        path = where / target
        text = path.read_text(encoding="utf-8")
        path.write_text(f"{text}\nraise RuntimeError({SANITY!r})\n", encoding="utf-8")
        status, output = run_tests(where, timeout)
        path.write_text(text, encoding="utf-8")
        if status != "failed" or SANITY not in output:
            sys.exit(f"mutants.py: a change to the copy's {target} went unseen ({status})")


def run_all(
    mutants: list[Mutant], jobs: int, timeout: float, report: Callable[[Mutant, str], None]
) -> dict[Mutant, str]:
    """Run every mutant, ``jobs`` at a time, each in a copy of its own worker."""
    results: dict[Mutant, str] = {}
    with tempfile.TemporaryDirectory(prefix="okrsite-mutants-") as tmp:
        made = [make_copy(Path(tmp) / f"w{i}") for i in range(jobs)]
        check_copy(made[0], timeout)
        copies: queue.Queue[Path] = queue.Queue()
        for where in made:
            copies.put(where)

        def one(mutant: Mutant) -> None:
            where = copies.get()
            path = where / mutant.path
            original = path.read_text(encoding="utf-8")
            try:
                path.write_text(mutant.source, encoding="utf-8")
                status, _ = run_tests(where, timeout)
            finally:
                path.write_text(original, encoding="utf-8")
                copies.put(where)
            outcome = {"passed": "survived", "failed": "killed", "timeout": "killed (timeout)"}
            results[mutant] = outcome.get(status, "error")
            report(mutant, results[mutant])

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(one, mutants))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="A surviving mutant not listed in EQUIVALENT (in this script) makes the exit "
        "status 1: add a test that kills it, or list it there (and in "
        "docs/guide/scoring.md) with the reason it cannot change behaviour.",
    )
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=60, help="seconds per mutant's test run (default 60)"
    )
    parser.add_argument("--only", help="run only mutants whose description contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every outcome")
    args = parser.parse_args(argv)

    mutants = [m for path in TARGETS for m in mutants_of(path)]
    if args.only:
        mutants = [m for m in mutants if args.only in str(m)]
    if args.list:
        for m in mutants:
            print(f"{m}{'  (equivalent)' if m.key in EQUIVALENT else ''}")
        print(f"{len(mutants)} mutants")
        return 0

    start = time.monotonic()
    print(f"{len(mutants)} mutants, {args.jobs} at a time (-v prints each outcome)", flush=True)

    def report(mutant: Mutant, outcome: str) -> None:
        if args.verbose:
            print(f"{outcome:>16}  {mutant}", flush=True)

    results = run_all(mutants, max(1, args.jobs), args.timeout, report)
    killed = [m for m in mutants if results[m].startswith("killed")]
    equivalent = [m for m in mutants if results[m] == "survived" and m.key in EQUIVALENT]
    survived = [m for m in mutants if results[m] == "survived" and m.key not in EQUIVALENT]
    errors = [m for m in mutants if results[m] == "error"]
    listed_killed = [m for m in killed if m.key in EQUIVALENT]
    print()
    for m in equivalent:
        print(f"equivalent: {m}\n    {EQUIVALENT[m.key]}")
    for m in listed_killed:
        print(f"listed as equivalent but killed (remove it from EQUIVALENT): {m}")
    for m in survived:
        print(f"SURVIVED: {m}")
    for m in errors:
        print(f"ERROR (the test run did not start): {m}")
    print(
        f"\n{len(mutants)} mutants: {len(killed)} killed, {len(equivalent)} equivalent, "
        f"{len(survived)} survived, {len(errors)} errors "
        f"({time.monotonic() - start:.0f} s, {args.jobs} at a time)"
    )
    return 1 if survived or errors or listed_killed else 0


if __name__ == "__main__":
    sys.exit(main())
