"""SMART goal files, and where a private goal becomes a number.

Private goals are validated like any other (their messages name neither their id nor
their text), then dropped here unless the site is built with ``include_private``:
from then on they exist only as counts, on what they support and in their period.
"""

from __future__ import annotations

from okrsite.model.graph import Goal, Source
from okrsite.source import fileformat as schema
from okrsite.source.goalfile import ParsedFile
from okrsite.source.okrs import checkins
from okrsite.source.references import resolve
from okrsite.source.registry import KeySources, Registry


def read_goals(reg: Registry, p: ParsedFile) -> None:
    """Build the goals of one SMART goal file into ``reg``. A private goal is checked
    like any other, then kept only as a count unless ``reg.include_private``."""
    m: schema.GoalFile = p.model
    period = reg.period(m.period, Source(p.path, p.doc.line(("period",))))
    owner = reg.person(
        m.owner, Source(p.path, p.doc.line(("owner",))), "owner", " of this goal file"
    )
    if period is None or owner is None:
        return
    for i, g in enumerate(m.goals):
        at = KeySources(p, ("goals", i))
        src = at.item
        key = f"{period.key}/{owner.id}/{g.id}"
        # A private goal's id, title and values stay out of every message.
        private = g.visibility == "private"
        if key in reg.goal_sources:
            where = f" for '{owner.id}' in {period.key}"
            shown_id = "(not shown: private goal)" if private else g.id
            reg.duplicate(src, "goal", shown_id, where, reg.goal_sources[key])
            continue
        supports = None
        if g.supports is not None:
            what = f" of private goal #{i + 1}" if private else f" of goal '{g.id}'"
            supports = resolve(
                reg, g.supports, period, at("supports"), "supports", what, private=private
            )
        goal = Goal(
            g.id,
            g.title,
            period,
            owner,
            src,
            supports,
            g.metric,
            g.baseline,
            g.target,
            g.unit,
            g.due,
            g.achievable,
            g.status,
            g.visibility == "private",
            checkins(g.checkins),
        )
        goal.waive = reg.waive(g.waive, at, private)
        reg.goal_sources[key] = src
        if goal.private and not reg.include_private:
            # The public principle: from here on a private goal is only a number.
            reg.private += 1
            reg.private_by_period[period.key] = reg.private_by_period.get(period.key, 0) + 1
            if supports is None:
                reg.private_unlinked += 1
                reg.private_unlinked_by_period[period.key] = (
                    reg.private_unlinked_by_period.get(period.key, 0) + 1
                )
            else:
                supports.private_goals += 1
                reg.private_supports.setdefault(period.key, []).append(supports)
            continue
        reg.goals[key] = goal
        reg.shown_periods.add(period.key)
        owner.goals.append(goal)
        if supports is not None:
            supports.goals.append(goal)
