"""How a title's words read with their neighbours, where the word lists of
okrsite.review.rule_lexicon alone do not decide: a rating, a ratio, a fraction, a
standard, a hedge, a part played, a noun phrase and what it counts, a level named
without a digit, a participle that makes the title a noun phrase, vague wording.

Each function reads a bounded window of tokens, or each token once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from okrsite.review import rule_lexicon as lex
from okrsite.review.rule_lexicon import is_form, is_number, is_participle, is_plural, next_word

# A ratio "1:4"; a clock time "8:30" has the same form (see is_ratio).
_RATIO = re.compile(r"(\d{1,3}):(\d{1,3})")
# Words that end a noun phrase: a plural noun of a count comes before any of them.
_PHRASE_END = lex.PREPOSITIONS | lex.DETERMINERS | frozenset(["a", "an", "that", "which", "who"])


def is_rating(tok: str) -> bool:
    """Whether ``tok`` is a rating written as an adjective: "4.9-star"."""
    number, _, unit = tok.partition("-")
    return unit in lex.RATING_UNITS and lex.BARE_NUMBER.fullmatch(number) is not None


def is_ratio(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a ratio, a level ("at 1:4"): not a clock time ("8:30", two
    digits after the colon, unless "ratio" comes just before) nor a one-to-one ("1:1")."""
    found = _RATIO.fullmatch(toks[i])
    if not found or found.group(1) == found.group(2):
        return False
    return len(found.group(2)) != 2 or "ratio" in toks[max(0, i - 4) : i]


def is_fraction(toks: list[str], j: int) -> bool:
    """Whether word ``j`` is a fraction: "half", "a third", "two fifths"; "quarter" only
    after "a" or a number word, else it is a period of time ("by quarter end")."""
    tok = toks[j]
    if tok in lex.FRACTIONS:
        return True
    return (
        tok in lex.PART_FRACTIONS
        and j > 0
        and (toks[j - 1] == "a" or toks[j - 1] in lex.NUMBER_WORDS)
    )


def is_standard(toks: list[str], j: int) -> bool:
    """Whether word ``j`` is a standard a level is held against: "under budget", "within
    the SLA", "on target"; not a noun's modifier ("on target accounts")."""
    if toks[j] not in lex.STANDARD_NOUNS or not j or is_plural(next_word(toks, j)):
        return False
    before = toks[j - 1]
    if before in lex.BOUND_WORDS:
        return True
    # "within the budget", but "on the plan" is a place, not a level
    return (
        j > 1
        and before in lex.DETERMINERS
        and toks[j - 2] in lex.BOUND_WORDS
        and toks[j - 2] != "on"
    )


def is_hedged(toks: list[str]) -> bool:
    """An open-ended commitment: "as needed", "wherever possible"."""
    return any(
        tok in lex.HEDGE_HEADS and next_word(toks, i) in lex.HEDGE_TAILS
        for i, tok in enumerate(toks)
    )


def is_part_played(toks: list[str]) -> bool:
    """A part or a role rather than a result: "Support the team", "Take ownership of the
    pipeline", "Be a safety champion", "Grow as a leader", "Work on my Excel skills"."""
    if not toks:
        return False
    head, second = toks[0], next_word(toks, 0)
    if head in lex.INVOLVEMENT_VERBS or head == "be":
        return True
    if head == "take" and second in lex.RESPONSIBILITY_NOUNS:
        return True
    # effort pointed at something: "Work on my Excel skills", "Focus on onboarding"
    if is_form(head, lex.ATTENTION_VERBS) and second in lex.ATTENTION_PARTICLES:
        return True
    # a verb whose only object is the person, in a role: "Grow as a leader"
    return second == "as" and len(toks) > 2 and toks[2] in ("a", "an", "the")


def noun_phrase(toks: list[str], i: int) -> list[str]:
    """The up to four words after token ``i`` that may finish its noun phrase."""
    phrase: list[str] = []
    for tok in toks[i + 1 : i + 5]:
        if tok in _PHRASE_END or is_number(tok):
            break
        phrase.append(tok)
    return phrase


def is_places(toks: list[str], i: int) -> bool:
    """Whether token ``i`` is a bare count of places or things: "at 3 terminals", "to 12
    category pages", "at four of our hotels"; not a level ("at 95%", "at 40 minutes")."""
    if i >= len(toks) or not (lex.BARE_NUMBER.fullmatch(toks[i]) or toks[i] in lex.NUMBER_WORDS):
        return False
    at = i + 2 if next_word(toks, i) == "of" else i  # "four of our hotels"
    counted = noun_phrase(toks, at)
    return bool(counted) and counted[0] not in lex.UNIT_WORDS and any(map(is_plural, counted))


def is_held(toks: list[str], j: int) -> bool:
    """Whether word ``j`` names a level without a digit: "flat", "certification",
    "profitable", "cash-flow positive", "under budget"."""
    tok = toks[j]
    if tok in lex.LEVEL_WORDS or tok in lex.STATUS_WORDS or tok in lex.FINANCE_STATES:
        return True
    if is_rating(tok) or lex.STATUS_SUFFIX.fullmatch(tok):  # "4.9-star", "GMP-certified"
        return True
    if tok == "rated" and next_word(toks, j) in lex.GRADE_WORDS:  # "rated Excellent"
        return True
    if is_standard(toks, j):
        return True
    return tok in lex.SIGN_WORDS and j > 0 and toks[j - 1] in lex.MONEY_WORDS


def predicates(toks: list[str]) -> Iterator[int]:
    """Where a participle after the title's first word ends the title or comes before a
    preposition or a particle ("New pricing page launched by August", "Self check-in
    kiosks piloted at four hotels"): the predicate of a noun phrase, so the title's
    first word is no verb."""
    for i in range(1, len(toks)):
        following = next_word(toks, i)
        if is_participle(toks[i]) and (
            not following or following in lex.PREPOSITIONS or following in lex.WORK_PARTICLES
        ):
            yield i


def is_vague_wording(toks: list[str]) -> bool:
    """Vague words, a comparative with nothing to compare with, a hedge or a part played."""
    vague = any(
        t in lex.VAGUE_WORDS or lex.VAGUE_STEM.fullmatch(t) or (i and t in lex.COMPARATIVES)
        for i, t in enumerate(toks)
    )
    return vague or is_hedged(toks) or is_part_played(toks)
