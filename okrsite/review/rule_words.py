"""How the wording rules read a title: as words and numbers, looking at what a number
measures and what the verb acts on, not at the first word alone.

A title is split into tokens: words (lowercase letters, digits after a letter, ``'``
and ``-``: "q3", "7-day" is one token) and numbers (digits with an optional currency or
``#`` before and a unit after: "$2.0m", "4.2%", "800ms"). The signals:

- a *quantity*: a number that counts or measures. Not one that names: a year ("2026"),
  a rank ("#1", "top 100"), a name ("SOC 2", "version 2"), a time frame ("first 90
  days"), "24/7", or a compound ("7-day activation" names a metric).
- a *measure*: a quantity with a unit ("4.2%", "$2M", "45 days", "3x"); 100% is "all",
  the scope of a task rather than a measure.
- a *change*: "from X to Y", "up/down from X", "by N%", "N more", halve/double/triple.
- a *target*: a quantity after a comparison ("under 12 minutes", "at 70%", "to 85%")
  or before one ("65 or higher").

Every check reads each token a bounded number of times: linear in the title's length.
"""

from __future__ import annotations

import re


def lexicon(text: str) -> frozenset[str]:
    """The words of ``text`` as a set: a word list that reads as prose."""
    return frozenset(text.split())


# Verbs of work done: with no measured result, the title is an activity.
TASK_VERBS = lexicon(
    "launch ship run hold host build rebuild create implement deliver write rewrite "
    "complete release hire recruit organize organise conduct migrate move deploy design "
    "redesign develop publish introduce finish attend prepare send document roll set "
    "start kick establish install add integrate refactor train interview audit update "
    "upgrade replace translate automate define draft plan schedule pilot evaluate assess "
    "test open produce record configure submit present announce call visit email map "
    "research review onboard negotiate renegotiate coordinate facilitate arrange coach "
    "mentor teach survey analyse analyze investigate fix refresh relaunch rebrand "
    "restructure reorganise reorganize consolidate standardise standardize procure "
    "purchase finalise finalize revise adopt"
)
# Verbs of keeping a number where it is.
KPI_VERBS = lexicon("maintain keep sustain stay remain preserve protect hold")
# Verbs of a result: followed by a quantity, they state an outcome.
CHANGE_VERBS = lexicon(
    "raise cut reduce grow increase decrease lift lower boost reach hit achieve sign win "
    "close book generate get gain acquire retain convert save earn recover attract "
    "shorten halve double triple bring"
)
# A change with no digit when they are the title's verb: "Halve the time to dispatch".
MULTIPLIERS = lexicon("halve double triple quadruple")
VAGUE_WORDS = lexicon(
    "significantly substantially greatly dramatically considerably drastically "
    "meaningfully massively hugely continuously continually better stronger great "
    "excellent efficient effective proactive robust world-class best-in-class "
    "high-quality top-notch exceptional outstanding seamless holistic innovative optimal "
    "various some more many several lots numerous things stuff synergies excellence"
)
# Vague verbs in any form: improve, improved, improvement, optimisation...
_VAGUE_STEM = re.compile(
    r"(?:improv|enhanc|optimi[sz]|streamlin|leverag|maximi[sz]|minimi[sz]|strengthen)"
    r"(?:e|es|ed|ing|ement|ements|ation|ations|s)?"
)
NUMBER_WORDS = lexicon(
    "zero one two three four five six seven eight nine ten eleven twelve fifteen twenty "
    "thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "half third thirds"
)
FRACTIONS = lexicon("half third thirds")
UNIT_WORDS = lexicon(
    "percent pp points pts minutes mins min hours hrs h days weeks months years seconds "
    "secs sec s ms x times"
)
# Words before a number that make it a name, a rank or a time frame.
FRAMING = lexicon(
    "top first last next past tier level phase stage type version series gen grade no "
    "number soc iso ward windows"
)
# Words before a number that compare with it: a level to reach or to stay within.
COMPARE = lexicon("under below above over within least most than at to beyond")
# Words after a number that compare with it: "65 or higher".
COMPARE_AFTER = lexicon("higher more better lower less fewer above below")
# Words after a number that make it a change: "10,000 more patients".
MORE = lexicon("more fewer less extra additional")
# A level without a digit: "Maintain our current NPS".
LEVEL_WORDS = lexicon("current existing today's present same")
PREPOSITIONS = lexicon("by on in at for to across before within with from and")
IRREGULAR = {
    "held": "hold",
    "kept": "keep",
    "built": "build",
    "rebuilt": "rebuild",
    "written": "write",
    "rewritten": "rewrite",
    "sent": "send",
    "ran": "run",
    "won": "win",
    "got": "get",
    "brought": "bring",
}
_PARTICIPLES = frozenset(["held", "kept", "built", "rebuilt", "written", "rewritten", "sent"])

_TOKEN = re.compile(r"[$€£#]?\d[\d.,:/]*[a-z%]*(?:-[a-z0-9]+)*|[a-z][a-z0-9'-]*")
_UNIT_SUFFIX = re.compile(r"(?:%|\d(?:k|m|bn|x|ms|s|h|pp|pts))$")
_YEAR = re.compile(r"(?:19|20)\d\d")


def tokens(text: str) -> list[str]:
    """The words and numbers of ``text``, lowercase, trailing punctuation dropped."""
    return [t.rstrip(".,:") for t in _TOKEN.findall(text.lower())]


def words(text: str) -> list[str]:
    """The lowercase words of ``text`` (numbers left out)."""
    return [t for t in tokens(text) if t[0].isalpha()]


def _is_number(tok: str) -> bool:
    return not tok[0].isalpha()


def _bases(word: str) -> set[str]:
    """What ``word`` may be a form of: launch(es/ed/ing), shipped, held..."""
    found = {word, IRREGULAR.get(word, word)}
    for suffix in ("s", "es", "d", "ed", "ing"):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            found.update((stem, stem + "e"))
            if len(stem) > 2 and stem[-1] == stem[-2]:
                found.add(stem[:-1])  # shipped, planned
    return found


def _is_form(word: str, verbs: frozenset[str]) -> bool:
    return not _bases(word).isdisjoint(verbs)


def _next(toks: list[str], i: int) -> str:
    return toks[i + 1] if i + 1 < len(toks) else ""


def _quantity(toks: list[str], i: int) -> bool:
    """Whether token ``i`` counts or measures something."""
    tok = toks[i]
    if tok in NUMBER_WORDS:
        return True
    if not _is_number(tok) or tok[0] == "#" or "/" in tok or ":" in tok or "-" in tok:
        return False
    if _YEAR.fullmatch(tok):
        return False
    return i == 0 or toks[i - 1] not in FRAMING


def _measure(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a quantity with a unit; 100% is "all", no measure."""
    if not _quantity(toks, i) or not _is_number(toks[i]) or toks[i] == "100%":
        return False
    tok = toks[i]
    unit = tok[0] in "$€£" or _UNIT_SUFFIX.search(tok) is not None
    return unit or _next(toks, i) in UNIT_WORDS


def _target(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a quantity compared with: "under 12", "65 or higher"."""
    if not _quantity(toks, i):
        return False
    before = toks[i - 1] if i else ""
    after = toks[i + 1 : i + 3]
    return before in COMPARE or (len(after) == 2 and after[0] == "or" and after[1] in COMPARE_AFTER)


def _change(toks: list[str]) -> bool:
    """A measured change: "from X to Y", "up from X", "by 30%", "N more", "halve"."""
    after_from = False  # a "from <quantity>" seen: a "to <quantity>" completes it
    if toks and toks[0] in MULTIPLIERS:
        return True
    for i, tok in enumerate(toks):
        near = range(i + 1, min(i + 4, len(toks)))
        if tok == "from" and any(_quantity(toks, j) for j in near):
            if i and toks[i - 1] in ("up", "down"):
                return True
            after_from = True
        elif (
            (tok == "to" and after_from and any(_quantity(toks, j) for j in near))
            or (tok == "by" and any(_measure(toks, j) or toks[j] in FRACTIONS for j in near))
            or (_quantity(toks, i) and _next(toks, i) in MORE)
        ):
            return True
    return False


def _outcome(toks: list[str]) -> bool:
    """A measured result: a change, a target, a measure, or a result verb and a count."""
    if _change(toks):
        return True
    verb_seen = False
    for i, tok in enumerate(toks):
        if _target(toks, i) or _measure(toks, i) or (verb_seen and _quantity(toks, i)):
            return True
        verb_seen = verb_seen or (tok[0].isalpha() and _is_form(tok, CHANGE_VERBS))
    return False


def _level(toks: list[str]) -> bool:
    """A level held: a verb of keeping with a number or a level word after it, and no
    change. "Hold" a bare count is an event ("Hold 12 interviews"), not a level."""
    verb = next((i for i, t in enumerate(toks) if t[0].isalpha() and _is_form(t, KPI_VERBS)), -1)
    if verb < 0 or _change(toks):
        return False
    rest = range(verb + 1, len(toks))
    if any(toks[j] in LEVEL_WORDS or _target(toks, j) or _measure(toks, j) for j in rest):
        return True
    # "Keep 3 nurses on every night shift" holds a level; "Hold 12 interviews" runs events
    event = _is_form(toks[verb], frozenset(["hold"]))
    return not event and verb + 1 < len(toks) and _quantity(toks, verb + 1)


def _task_head(toks: list[str]) -> bool:
    """Work done: an activity verb first ("Launch X"), or its participle ending the
    title or before a preposition ("New pricing page launched by August")."""
    if not toks:
        return False
    if toks[0] in TASK_VERBS:
        return True
    for i, tok in enumerate(toks[1:], start=1):
        participle = tok in _PARTICIPLES or tok.endswith("ed")
        if participle and _is_form(tok, TASK_VERBS):
            following = _next(toks, i)
            if not following or following in PREPOSITIONS:
                return True
    return False


def _has_quantity(toks: list[str]) -> bool:
    return any(_quantity(toks, i) for i in range(len(toks))) or _change(toks)


def is_task(title: str) -> bool:
    """An activity with no measured result: "Launch X", "Run 12 webinars", "12 webinars
    held"; not "Ship 3 features that cut ticket volume by 20%"."""
    toks = tokens(title)
    return _task_head(toks) and not _outcome(toks)


def holds_steady(title: str) -> bool:
    """Keeps a number where it is: "Maintain NPS above 40", "Uptime stays at 99.9%",
    "Maintain our current win rate"; not "Keep the customers we already have"."""
    return _level(tokens(title))


def is_metric(title: str) -> bool:
    """A number to hold or to reach, where an objective should give a direction:
    "Keep churn under 5%", "Grow ARR from $2M to $3.2M", "Sign 30 new customers"; not
    "Make Q3 the quarter self-serve takes off" or "Keep every customer we win"."""
    toks = tokens(title)
    return _level(toks) or _outcome(toks)


def is_vague(title: str) -> bool:
    """Vague words and no number: "Significantly improve onboarding"."""
    toks = tokens(title)
    vague = any(t in VAGUE_WORDS or _VAGUE_STEM.fullmatch(t) for t in toks)
    return vague and not _has_quantity(toks)


def is_unmeasured(title: str) -> bool:
    """No number to check at the end, and neither an activity nor a level held (their
    own rules say so): "Reduce churn", "Customers love the new dashboard"."""
    toks = tokens(title)
    return not _has_quantity(toks) and not _task_head(toks) and not _level(toks)
