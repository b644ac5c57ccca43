"""How the wording rules read a title: as words and numbers, looking at what a number
measures and what the verb acts on, not at the first word alone (the tokens and word
lists are in okrsite.review.rule_lexicon, how words read with their neighbours in
okrsite.review.rule_phrases; docs/guide/goal-quality.md says it in prose).

- a *quantity*: a number that counts or measures, not one that names: a year, a rank
  ("#1", "top 100"), a name ("SOC 2", "line 4"), a time frame ("first 90 days"),
  "24/7", a compound ("7-day activation"), a number after "the" with no plural noun.
- a *measure*: a quantity with a unit ("4.2%", "$2M", "45 days"); 100% is "all", and a
  share of planned work ("80% of the roadmap") is the scope of a task.
- a *change*: "from X to Y", "X -> Y", "up from X", "by N%", a fraction in words ("by a
  quarter", "in half"), "N more", "twice the", "twice as many ... as", halve/double as
  the verb (not "double down on"), "twice last year's ..."; a count of new customers,
  donors... won, with or without a verb ("Ten thousand new riders").
- a *target*: a quantity after a comparison ("under 12 minutes") or before one ("65 or
  higher"); "2 to 3" right after a verb of work is a range of work, no target.
- the *object of the verb*: a count of events ("Make 300 cold calls", "Carry out 40
  trainings") is work, a bound on it ("every contract over $50k", "older than two
  years"), its places ("at 3 terminals") or its timing ("48 hours before") its scope; a
  level without a digit ("flat", "certification", "GMP-certified", "under budget") or a
  rating ("4.9-star") is a level held, also before a participle.
- a *verb of work*: "launch", "audit"..., and re- with one ("retrain", "re-audit");
  and, by structure, any other verb first in an imperative title that names no change,
  level, effect or part played, with no vague wording ("Convene quarterly town halls",
  "Stand up a triage rota"). A first word is no verb when it is plural, a comparative,
  an adverb, an adjective, an "-ing"/"-ed" form or a function word, or when a
  participle after it makes the title a noun phrase ("Kiosks piloted at four hotels").
- *clauses*: "and" or "while" before a verb starts a clause read on its own.
- *vague wording*: vague words, a comparative with nothing to compare with, a hedge
  ("as needed"), a part played ("Support the team", "Work on my Excel skills").

Every check reads each token a bounded number of times: linear in the title's length.
"""

from __future__ import annotations

import re

from okrsite.review import rule_lexicon as lex
from okrsite.review import rule_phrases as phrase
from okrsite.review.rule_lexicon import (
    is_form,
    is_number,
    is_participle,
    is_plural,
    next_word,
    tokens,
)

_UNIT_SUFFIX = re.compile(r"(?:%|\d(?:k|m|bn|x|ms|s|h|pp|pts))$")
_YEAR = re.compile(r"(?:19|20)\d\d")
# Verbs that may start a clause after "and" or "while".
_VERBS = lex.TASK_VERBS | lex.KPI_VERBS | lex.CHANGE_VERBS
_HOLD = frozenset(["hold"])
# Words after "one" that make it a count: "one hour", "one in ten", "one more", "one to
# three"; before any other word it is an article ("one step ahead", "one practice").
_COUNTS_ONE = lex.UNIT_WORDS | lex.MORE | lex.ARROWS | frozenset(["in", "to", "or", ""])


def _quantity(toks: list[str], i: int) -> bool:
    """Whether token ``i`` counts or measures something."""
    tok = toks[i]
    if tok == "one":  # "one step ahead", "into one layer": an article, not a count
        return next_word(toks, i) in _COUNTS_ONE
    if tok in lex.NUMBER_WORDS:
        return True
    if phrase.is_ratio(toks, i):
        return True
    if not is_number(tok) or tok[0] == "#" or "/" in tok or ":" in tok or "-" in tok:
        return phrase.is_rating(tok)
    if _YEAR.fullmatch(tok):
        return False
    if i and toks[i - 1] in lex.FRAMING:
        return False
    # "the 311 service", "our 2.0 platform": a bare number after a determiner, with no
    # plural noun to count, names something
    named = i and toks[i - 1] in lex.DETERMINERS and lex.BARE_NUMBER.fullmatch(tok)
    return not named or any(is_plural(w) for w in phrase.noun_phrase(toks, i))


def _share_of_plan(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a share of planned work: "80% of the roadmap"."""
    if not toks[i].endswith("%") or next_word(toks, i) != "of":
        return False
    return any(w in lex.PLAN_NOUNS for w in toks[i + 2 : i + 6])


def _measure(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a quantity with a unit; 100% is "all", and a share of
    planned work is output, no measure."""
    if not _quantity(toks, i) or not is_number(toks[i]) or toks[i] == "100%":
        return False
    if _share_of_plan(toks, i):
        return False
    tok = toks[i]
    unit = tok[0] in "$€£" or _UNIT_SUFFIX.search(tok) is not None or phrase.is_rating(tok)
    return unit or next_word(toks, i) in lex.UNIT_WORDS


def _target(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a quantity compared with: "under 12", "65 or higher"."""
    if not _quantity(toks, i):
        return False
    before = toks[i - 1] if i else ""
    after = toks[i + 1 : i + 3]
    if before in lex.COMPARE and not (i and _range(toks, i - 1)):
        return True
    return len(after) == 2 and after[0] == "or" and after[1] in lex.COMPARE_AFTER


def _range(toks: list[str], i: int) -> bool:
    """Whether "to" at ``i`` spans a count of work right after its verb: "Hire 2 to 3
    engineers", "Run 4 to 6 workshops" (no change, and no target)."""
    if toks[i] != "to" or not 1 < i < len(toks) - 1 or not lex.is_work(toks[i - 2]):
        return False
    return _quantity(toks, i - 1) and _quantity(toks, i + 1)


def _step(toks: list[str], i: int) -> bool:
    """Whether token ``i``, an arrow or "to", joins two quantities: "NPS 35 -> 50",
    "CSAT 72 to 85" (a unit may follow the first: "35 pts -> 50")."""
    if (toks[i] not in lex.ARROWS and toks[i] != "to") or _range(toks, i):
        return False
    if i + 1 >= len(toks) or not _quantity(toks, i + 1):
        return False
    first = i - 1 if i and toks[i - 1] not in lex.UNIT_WORDS else i - 2
    return first >= 0 and _quantity(toks, first)


def _equative(toks: list[str], i: int) -> bool:
    """Whether token ``i`` starts a ratio in an equative: "twice as many ... as",
    "three times as much", "3x as many", "half as many"."""
    tok = toks[i]
    multiple = (
        tok in lex.RATIOS or tok in lex.FRACTIONS or (tok.endswith("x") and _quantity(toks, i))
    )
    multiple = multiple or (tok == "times" and i > 0 and _quantity(toks, i - 1))
    return (
        multiple and next_word(toks, i) == "as" and next_word(toks, i + 1) in lex.EQUATIVE_AMOUNTS
    )


def _ratio(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a ratio word governing a quantity: "Sell double the volume";
    first in the title, only before a possessive ("Twice last year's signups"), as
    "Twice this year" and "Twice a month" are frequencies."""
    if toks[i] not in lex.RATIOS:
        return False
    if i:
        return next_word(toks, i) in lex.RATIO_OBJECTS
    owner = next_word(toks, i)
    if owner in ("last", "this"):
        owner = next_word(toks, i + 1)
    return owner in lex.POSSESSIVES or owner.endswith("'s")


def _change(toks: list[str]) -> bool:
    """A measured change: "from X to Y", "X -> Y", "up from X", "by 30%", "by a quarter",
    "in half", "N more", "twice the", "twice as many ... as", "halve" (not the idiom
    "double down on")."""
    after_from = False  # a "from <quantity>" seen: a "to <quantity>" completes it
    if toks and toks[0] in lex.MULTIPLIERS and next_word(toks, 0) not in lex.IDIOM_PARTICLES:
        return True
    for i, tok in enumerate(toks):
        near = range(i + 1, min(i + 4, len(toks)))
        if tok == "from" and any(_quantity(toks, j) for j in near):
            if i and toks[i - 1] in ("up", "down"):
                return True
            after_from = True
        elif (
            (tok == "to" and after_from and any(_quantity(toks, j) for j in near))
            or (tok == "by" and any(_measure(toks, j) or phrase.is_fraction(toks, j) for j in near))
            or (tok == "in" and next_word(toks, i) == "half")
            or _moved(toks, i)
            or _step(toks, i)
            or _equative(toks, i)
            or _ratio(toks, i)
            or (_quantity(toks, i) and next_word(toks, i) in lex.MORE)
        ):
            return True
    return False


def _moved(toks: list[str], i: int) -> bool:
    """Whether token ``i`` moves a quantity: "up" or "down" after a noun ("Weekday
    boardings up 8,000"; not a verb's particle: "Set up 30 sessions"), "instead of 9"."""
    if toks[i] == "instead" and next_word(toks, i) == "of":
        return i + 2 < len(toks) and _quantity(toks, i + 2)
    if toks[i] not in ("up", "down") or i < 2 or i + 1 >= len(toks):
        return False
    before = toks[i - 1]
    return not (is_form(before, _VERBS) or lex.is_work(before)) and _quantity(toks, i + 1)


def _gain(toks: list[str]) -> bool:
    """A count of new people or organisations won, as the verb's object or with no verb:
    "Recruit 150 new regular donors", "Ten thousand new riders" (a result), not "Call 200
    lapsed donors" (work)."""
    end = 0 if toks and _quantity(toks, 0) else 1
    if len(toks) <= end or not _quantity(toks, end) or is_form(toks[0], lex.CONTACT_VERBS):
        return False
    while next_word(toks, end) in lex.NUMBER_WORDS:  # a count in words: "ten thousand"
        end += 1
    if next_word(toks, end) not in lex.NEW_WORDS:
        return False
    return any(w in lex.MARKET_NOUNS for w in phrase.noun_phrase(toks, end + 1))


def _activity_count(toks: list[str]) -> bool:
    """The verb's object is a count of events or pieces of work: "Make 300 cold calls",
    also after a phrasal verb's particle: "Carry out 40 trainings"."""
    at = 2 if next_word(toks, 0) in lex.WORK_PARTICLES else 1
    if len(toks) <= at or not _quantity(toks, at):
        return False
    return any(w in lex.ACTIVITY_NOUNS for w in phrase.noun_phrase(toks, at))


def _scope(toks: list[str]) -> set[int]:
    """The quantities that say which things a task's work is done on, or when: "Audit
    every vendor contract over $50k", "Launch kiosks at 3 terminals", "Roll out the grid
    to 12 category pages", "Send reminders 48 hours before every appointment". They are
    no result to reach."""
    found: set[int] = set()
    if not toks or not (_task_head(toks) or _unknown_work(toks)):
        return found
    quantifier = -1
    for i, tok in enumerate(toks):
        near = quantifier >= 0 and i - quantifier <= 4
        if tok in lex.SCOPE_QUANTIFIERS or (near and tok in lex.SCOPE_LINKS):
            quantifier = i  # "every supplier with a risk score above 7": still its scope
        elif (tok in lex.SCOPE_BOUNDS and near) or (
            tok in ("at", "to") and phrase.is_places(toks, i + 1)
        ):
            found.add(i + 1)
        elif _measure(toks, i) and lex.TIMING_WORDS & set(toks[i + 1 : i + 3]):
            found.add(i)
    return found


def _outcome(toks: list[str]) -> bool:
    """A measured result: a change, a target, a measure, or a result verb and a count."""
    if _change(toks) or _gain(toks):
        return True
    scope = _scope(toks)
    verb_seen = False
    for i, tok in enumerate(toks):
        measured = _target(toks, i) or _measure(toks, i) or (verb_seen and _quantity(toks, i))
        if measured and i not in scope:
            return True
        # a count after a preposition sets the scope ("Grow into three new regions"),
        # not the verb's result
        if tok in lex.PREPOSITIONS:
            verb_seen = False
        else:
            verb_seen = verb_seen or (tok[0].isalpha() and is_form(tok, lex.CHANGE_VERBS))
    return False


def _keeping_verb(toks: list[str]) -> int:
    """Where the verb of keeping is (-1 if none): maintain, keep, preserve...; or
    retain before a standing ("Retain our ISO certification"), not before a count."""
    standing = max((j for j, t in enumerate(toks) if t in lex.STATUS_WORDS), default=-1)
    for i, tok in enumerate(toks):
        if tok[0].isalpha() and (
            is_form(tok, lex.KPI_VERBS) or (i < standing and is_form(tok, lex.STANDING_VERBS))
        ):
            return i
    return -1


def _level(toks: list[str]) -> bool:
    """A level held: a verb of keeping with a number or a level word after it, and no
    change. "Hold" a bare count is an event ("Hold 12 interviews"), not a level."""
    verb = _keeping_verb(toks)
    if verb < 0 or _change(toks):
        return False
    rest = range(verb + 1, len(toks))
    if any(phrase.is_held(toks, j) or _target(toks, j) or _measure(toks, j) for j in rest):
        return True
    # "Keep 3 nurses on every night shift" holds a level; "Hold 12 interviews" runs events
    event = is_form(toks[verb], _HOLD)
    if not event and verb + 1 < len(toks) and _quantity(toks, verb + 1):
        return True
    # a participle after the level it holds: "Zero reportable safety incidents
    # maintained"; "12 webinars held" still counts events
    if not verb or not is_participle(toks[verb]):
        return False
    return any(
        phrase.is_held(toks, j)
        or _target(toks, j)
        or _measure(toks, j)
        or (not event and _quantity(toks, j))
        for j in range(verb)
    )


def _task_head(toks: list[str]) -> bool:
    """Work done: an activity verb first ("Launch X"), or its participle after a noun
    phrase, ending the title or before a preposition or a particle ("New pricing page
    launched by August", "New dispatch board rolled out to night shift")."""
    if toks and lex.is_work(toks[0], base=True):
        return True
    return any(lex.is_work(toks[i]) for i in phrase.predicates(toks))


def _unknown_work(toks: list[str]) -> bool:
    """An imperative whose verb names no change, level, effect or part played, with no
    vague wording: work, whatever the verb ("Convene quarterly town halls", "Stand up a
    triage rota", "Digitise the glass-plate negatives"), where "Drive adoption" and
    "Make onboarding delightful" are vague."""
    if not toks or not lex.may_be_verb(toks[0]) or lex.is_work(toks[0], base=True):
        return False
    if toks[0] in lex.NOT_WORK_VERBS or any(t in lex.FREQUENCY_ADVERBS for t in toks):
        return False
    # A count after a verb the rules do not know is most often the result it counts
    # ("Sell 500 annual passes", "Sell out all 12 concerts"; a count of events is work
    # whatever the verb: _activity_count). "Newsletter readership of 20,000" and "Trial
    # signups: 1,500" are a noun and its number; "with zero findings" measures a result.
    at = 2 if next_word(toks, 0) in lex.WORK_PARTICLES else 1
    at += next_word(toks, at - 1) in lex.SCOPE_QUANTIFIERS

    def count_at(i: int) -> bool:
        return i < len(toks) and _quantity(toks, i)

    counted = count_at(at) or (lex.is_plural(next_word(toks, 0)) and count_at(2))
    of_count = any(t == "of" and count_at(i + 1) for i, t in enumerate(toks[:4]))
    nothing = any(t == "with" and next_word(toks, i) in ("zero", "no") for i, t in enumerate(toks))
    if counted or of_count or nothing:
        return False
    return not phrase.is_vague_wording(toks) and next(phrase.predicates(toks), None) is None


def _has_quantity(toks: list[str]) -> bool:
    return any(_quantity(toks, i) for i in range(len(toks))) or _change(toks)


def _starts_clause(word: str) -> bool:
    """A verb after "and": its base form ("and keep"), or "-ing" after "while"; not a
    noun that could be a verb's form ("and records")."""
    if not word[:1].isalpha():
        return False
    if word in _VERBS or lex.is_work(word, base=True):
        return True
    return word.endswith("ing") and is_form(word, _VERBS)


def _clauses(toks: list[str]) -> list[list[str]]:
    """The title's clauses: it is cut at "and" or "while" before a verb ("Run fire drills
    and keep evacuation time under 4 minutes", "while keeping uptime at 99.9%")."""
    clauses: list[list[str]] = []
    start = 0
    for i, tok in enumerate(toks):
        if tok in lex.CLAUSE_JOINS and _starts_clause(next_word(toks, i)):
            clauses.append(toks[start:i])
            start = i + 1
    clauses.append(toks[start:])
    return [c for c in clauses if c]


def is_task(title: str) -> bool:
    """An activity with no measured result: "Launch X", "Run 12 webinars", "12 webinars
    held", "Make 300 cold calls"; not "Ship 3 features that cut ticket volume by 20%".
    A clause of work joined to a level held ("Publish the KPI pack and maintain 98% data
    accuracy") is still an activity: the level measures nothing the work changes."""
    toks = tokens(title)
    if not lex.reads_english(toks):
        return False
    clauses = _clauses(toks)
    # "Hold prices steady" holds a level (OKR202), like "Hold margin at 70%"
    work = any(
        (_task_head(c) or _activity_count(c) or _unknown_work(c))
        and not _outcome(c)
        and not _level(c)
        for c in clauses
    )
    return work and not any(_outcome(c) and not _level(c) for c in clauses)


def holds_steady(title: str) -> bool:
    """Keeps a number where it is: "Maintain NPS above 40", "Uptime stays at 99.9%",
    "Maintain our current win rate"; not "Keep the customers we already have"."""
    toks = tokens(title)
    return lex.reads_english(toks) and _level(toks)


def is_metric(title: str) -> bool:
    """A number to hold or to reach, where an objective should give a direction:
    "Keep churn under 5%", "Grow ARR from $2M to $3.2M", "Sign 30 new customers"; not
    "Make Q3 the quarter self-serve takes off" or "Keep every customer we win"."""
    toks = tokens(title)
    return lex.reads_english(toks) and (_level(toks) or _outcome(toks))


def is_vague(title: str) -> bool:
    """Vague wording and no number: vague words ("Significantly improve onboarding"),
    a comparative with nothing to compare with ("Answer emails faster"), a hedge
    ("Support the team as needed"), or a part played rather than a result. A level
    held is no vague wording whatever its words ("Preserve our Outstanding rating"):
    OKR202 says what is wrong with it."""
    toks = tokens(title)
    if not lex.reads_english(toks):
        return False
    return phrase.is_vague_wording(toks) and not _has_quantity(toks) and not _level(toks)


def is_unmeasured(title: str) -> bool:
    """No number to check at the end, and neither an activity nor a level held (their
    own rules say so): "Reduce churn", "Customers love the new dashboard"."""
    toks = tokens(title)
    if not lex.reads_english(toks):  # a number is a number in any language
        return not any(lex.is_number(t) for t in toks)
    worded_as_work = _task_head(toks) or _unknown_work(toks)
    return not _has_quantity(toks) and not worded_as_work and not _level(toks)
