"""What `mkdocs serve` watches, as a cheap snapshot: each file's size and modification
time. Two snapshots tell which files changed between two builds, so the plugin knows
whether an edit touched only goal files (a partial rebuild may do) or anything else
(the configuration, a page, a template: a full build)."""

from __future__ import annotations

import os
from collections.abc import Iterable

State = dict[str, tuple[int, int]]


def state(paths: Iterable[str]) -> State:
    """(mtime_ns, size) of every file under ``paths`` (files or folders), by path."""
    out: State = {}
    for path in paths:
        todo = [path]
        while todo:
            here = todo.pop()
            try:
                if not os.path.isdir(here):
                    st = os.stat(here)
                    out[here] = (st.st_mtime_ns, st.st_size)
                    continue
                with os.scandir(here) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            todo.append(entry.path)
                        else:
                            st = entry.stat(follow_symlinks=False)
                            out[entry.path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                out[here] = (-1, -1)  # gone or unreadable: a change all the same
    return out


def changes(before: State, after: State) -> list[str]:
    """The paths added, removed or changed from ``before`` to ``after``, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
