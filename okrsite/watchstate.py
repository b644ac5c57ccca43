"""What `mkdocs serve` watches, as a cheap snapshot: each file's size and modification
time. Two snapshots tell which files changed between two builds, so the plugin knows
whether an edit touched only goal files (a partial rebuild may do) or anything else
(the configuration, a page, a template: a full build)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable

State = dict[str, tuple[int, int]]


def state(paths: Iterable[str]) -> State:
    """(mtime_ns, size) of every file under ``paths`` (files or folders), by path. Links
    are followed, as MkDocs' file watcher follows them (``docs/index.md`` may be a link
    to the README), each folder once."""
    out: State = {}
    seen: set[tuple[int, int]] = set()  # (device, inode) of the folders looked into
    for path in paths:
        todo = [path]
        while todo:
            here = todo.pop()
            try:
                st = os.stat(here)
                if not stat.S_ISDIR(st.st_mode):
                    out[here] = (st.st_mtime_ns, st.st_size)
                    continue
                if (st.st_dev, st.st_ino) in seen:
                    continue  # a link back up, or a folder reached twice
                seen.add((st.st_dev, st.st_ino))
                with os.scandir(here) as entries:
                    for entry in entries:
                        todo.append(entry.path)
            except OSError:
                out[here] = (-1, -1)  # gone, unreadable, a broken link: a change all the same
    return out


def changes(before: State, after: State) -> list[str]:
    """The paths added, removed or changed from ``before`` to ``after``, sorted."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
