"""Why each goal-quality rule exists, with a bad and a good example (YAML).

Rendered as the site's rule pages (``/rules/<code>/``), so every okrsite site
explains its own findings. Kept apart from :mod:`okrsite.review.rules`, which checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from okrsite.settings import DEFAULTS


@dataclass(frozen=True)
class RuleDoc:
    """What a rule's docs page explains: why it matters, a bad and a good example."""

    why: str  # Markdown
    bad: str  # YAML
    good: str  # YAML


DOCS: dict[str, RuleDoc] = {
    "OKR101": RuleDoc(
        "An objective is made real by 2 to 5 key results. One key result is a single "
        "metric with a slogan on top; six or more means nobody knows what matters.",
        """- id: retention
  title: Make retention our strongest growth lever
  owner: maria
  key_results:
    - {id: churn, title: Reduce monthly gross churn from 4.2% to 3.0%, baseline: 4.2, target: 3.0}
""",
        """- id: retention
  title: Make retention our strongest growth lever
  owner: maria
  key_results:
    - {id: churn, title: Reduce monthly gross churn from 4.2% to 3.0%, baseline: 4.2, target: 3.0}
    - {id: activation, title: Raise 90-day activation from 61% to 75%, baseline: 61, target: 75}
    - {id: nrr, title: Grow net revenue retention from 102% to 110%, baseline: 102, target: 110}
""",
    ),
    "OKR102": RuleDoc(
        "Focus: a team that sets more than four objectives a quarter has set none. "
        "Five objectives with four key results each are twenty priorities.",
        "# goals/2026-Q3/support.yaml with objectives a, b, c, d and e\n",
        "# the two to four that matter most this quarter; the rest wait or become KPIs\n",
    ),
    "OKR103": RuleDoc(
        "An objective is a qualitative direction that people can rally behind; numbers "
        'belong in its key results. "Maintain NPS above 50" is a KPI threshold, not an '
        'objective. Numbers that name something ("Q3", "SOC 2", "the top 100 accounts") '
        "are fine.",
        "title: Maintain NPS above 50\n",
        "title: Become the most-loved support team in our category\n",
    ),
    "OKR201": RuleDoc(
        "A key result measures an outcome, not the work done to get it. Activities "
        '("Launch feature X", "Run 12 webinars") can all be done while nothing '
        "improves.",
        "- {id: webinars, title: Run 12 webinars, baseline: 0, target: 12}\n",
        "- {id: sqls, title: Generate 200 SQLs from webinars, baseline: 40, target: 200}\n",
    ),
    "OKR202": RuleDoc(
        'A key result that keeps a number where it is ("Maintain 99.9% uptime", or a '
        "target equal to its baseline) is a KPI with a date. Watch it on the KPI "
        "dashboard with an alert threshold; spend the key result on a change. A goal "
        "whose target equals its baseline gets the same finding.",
        "- {id: uptime, title: Maintain 99.9% uptime, baseline: 99.9, target: 99.9}\n",
        "- {id: deploys, title: Cut failed deploys from 8% to 2%, baseline: 8, target: 2}\n",
    ),
    "OKR203": RuleDoc(
        '"Significantly improve onboarding" is neither specific nor measurable. Name '
        "the metric and the numbers, so that everyone can tell at the end whether it "
        "happened.",
        "- {id: onboarding, title: Significantly improve onboarding, baseline: 0, target: 1}\n",
        "- {id: activation, title: Raise 7-day activation from 34% to 50%,\n"
        "   baseline: 34, target: 50}\n",
    ),
    "OKR204": RuleDoc(
        "OKRs live through weekly check-ins. A key result with no recent check-in in a "
        'running period was set once and forgotten: "a goal written in January and read '
        "in December was never a goal\". The window is the plugin's `stale_after_days` "
        f"(default {DEFAULTS.stale_after_days}).",
        "checkins:\n  - {date: 2026-07-06, value: 4.1}   # and nothing since\n",
        "checkins:\n  - {date: 2026-07-06, value: 4.1, confidence: 0.6}\n"
        "  - {date: 2026-07-13, value: 4.0, confidence: 0.7}\n",
    ),
    "OKR205": RuleDoc(
        "A check-in dated outside its period is usually a typo in the year or month, or "
        "a measurement filed under the wrong quarter. One dated after today counts in every "
        "score already, as if the work were done: date a check-in on the day it was measured.",
        "period: 2026-Q3\n...\ncheckins:\n  - {date: 2025-07-06, value: 4.1}\n",
        "period: 2026-Q3\n...\ncheckins:\n  - {date: 2026-07-06, value: 4.1}\n",
    ),
    "OKR301": RuleDoc(
        "SMART goals are commitments expected at 100%. One to three get done; more than "
        "five get spread thin.",
        "# goals/2026-Q3/people/ana.yaml with seven goals\n",
        "# two or three goals, each supporting a team key result\n",
    ),
    "OKR302": RuleDoc(
        "Specific: the title says what will be different, for whom, in words a colleague "
        "understands without asking.",
        "title: Improve onboarding\n",
        "title: Reduce the onboarding flow from 7 steps to 3\n",
    ),
    "OKR303": RuleDoc(
        "Measurable: a metric, where it starts (baseline) and where it should end "
        "(target), so progress is a number, not an opinion.",
        "- id: tips\n  title: Ship in-app usage tips for the top 5 underused features\n",
        "- id: tips\n  title: Ship in-app usage tips for the top 5 underused features\n"
        "  metric: Weekly users of the 5 features\n  baseline: 1200\n  target: 2000\n",
    ),
    "OKR304": RuleDoc(
        "Achievable: a short reason why the goal is realistic (a pilot, a past result, "
        "the people on it). A hint, not a warning: it helps the reader trust the target.",
        "- id: outreach\n  title: Launch health-score outreach for bottom-quartile accounts\n",
        "- id: outreach\n  title: Launch health-score outreach for bottom-quartile accounts\n"
        "  achievable: A pilot on 40 accounts cut churn by 20%.\n",
    ),
    "OKR305": RuleDoc(
        "Relevant: every goal supports a team key result. A goal that supports nothing is "
        "busywork with metrics attached, and its chain to the company KPIs is broken.",
        "- id: newsletter\n  title: Write a monthly team newsletter\n",
        "- id: outreach\n  title: Launch health-score outreach for bottom-quartile accounts\n"
        "  supports: customer-success/retention/churn\n",
    ),
    "OKR306": RuleDoc(
        "Time-bound: a due date inside the goal's period. Without one the goal drifts; "
        "with one outside the period it is filed in the wrong quarter.",
        "- id: tips\n  title: Ship in-app usage tips for the top 5 underused features\n",
        "- id: tips\n  title: Ship in-app usage tips for the top 5 underused features\n"
        "  due: 2026-09-15\n",
    ),
    "OKR401": RuleDoc(
        "The chain is the product: every objective should reach a company KPI, through a "
        "key result that moves one (`kpi:`) or by aligning (`aligns_to:`) to an objective "
        "or key result that does. Otherwise nobody can say which vital sign it serves.",
        "- id: deploys\n  title: Make deploys boring\n  owner: kai\n  key_results: [...]\n",
        "- id: deploys\n  title: Make deploys boring\n  owner: kai\n"
        "  aligns_to: company/retention/churn\n  key_results: [...]\n",
    ),
    "OKR501": RuleDoc(
        "OKRs are stretch goals: 0.6-0.8 is success. A team that scores 1.0 on every key "
        "result period after period sets targets it knows it will hit (sandbagging).",
        "# 2026-Q2: every key result at 1.0; 2026-Q3: every key result at 1.0\n",
        "# targets where reaching 70% would already be a good quarter\n",
    ),
    "OKR502": RuleDoc(
        "Below 0.5 period after period means targets are unrealistic, the team lacks "
        "resources, or the OKRs were never revised when priorities shifted.",
        "# 2026-Q2 team score 0.31; 2026-Q3 team score 0.28\n",
        "# fewer objectives, targets revised at the first check-ins that show the gap\n",
    ),
}
