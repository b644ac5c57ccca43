"""The word lists the wording rules read titles with (okrsite.review.rule_words), how a
title splits into tokens, and the forms of a single word (a verb's inflections, a
participle, a plural, whether a title's first word may be a verb); how a word reads
with its neighbours is in okrsite.review.rule_phrases.

Each list is a class of words named by what they do in a title, with why the class
matters, not a list of the titles it was tried on.
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
    "purchase finalise finalize revise adopt issue"
)
# Words that read as re- and a verb of work but mean something else ("remove friction",
# "represent the team"), or a measure ("recall at 95%"): re- and any other verb of work
# does that work again ("retrain", "re-audit", "reissue"), work all the same.
NOT_REDONE = lexicon("recall remove represent")
# Verbs of keeping a number where it is.
KPI_VERBS = lexicon("maintain keep sustain stay remain preserve protect hold")
# A verb of a result that keeps a standing as it is: "Retain our ISO 27001
# certification" holds a level, where "Retain 90% of first-year donors" is a result.
STANDING_VERBS = lexicon("retain")
# Verbs of an effect, a direction or a state to reach rather than work done: with no
# number, "Drive adoption of the new module", "Make onboarding delightful", "Expand the
# partner channel" are vague wording (OKR203), where an imperative with any other verb
# and no number is work ("Convene quarterly town halls", "Stand up a triage rota").
EFFECT_VERBS = lexicon(
    "make drive ensure enable empower foster promote encourage become turn give let "
    "delight inspire transform expand extend scale accelerate speed simplify shrink trim "
    "slash eliminate prevent avoid beat exceed outperform surpass deepen broaden widen "
    "tighten narrow land secure be take"
)
# Verbs of a result: followed by a quantity, they state an outcome.
CHANGE_VERBS = lexicon(
    "raise cut reduce grow increase decrease lift lower boost reach hit achieve sign win "
    "close book generate get gain acquire retain convert save earn recover attract "
    "shorten halve double triple bring"
)
# A change with no digit when they are the title's verb: "Halve the time to dispatch".
MULTIPLIERS = lexicon("halve double triple quadruple")
# Particles that make a multiplier verb an idiom with no measure: "Double down on our
# enterprise customers" commits to a direction, it doubles nothing.
IDIOM_PARTICLES = lexicon("down up back")
# Ratio words: a change when they govern a quantity ("Reach twice last year's signups",
# "Sell double the volume"), a frequency before "a" ("twice a month").
RATIOS = lexicon("twice thrice double triple treble")
RATIO_OBJECTS = lexicon("the our their its this last as")
# Possessives: first in a title a ratio word governs a value only through one ("Twice
# our 2025 signups", "Twice last year's"), where "Twice this year" is a frequency.
POSSESSIVES = lexicon("our their its my your")
# Amounts after "as" in an equative: "twice as many students as in 2025", "three times
# as much", "half as many falls": a ratio to a past or other value, a change.
EQUATIVE_AMOUNTS = lexicon("many much few little often")
# Arrows between two numbers: "NPS 35 -> 50" is "from 35 to 50" in a hurry.
ARROWS = lexicon("-> => → ⇒ ⟶")
# Clause joins: a title may state two things ("Run monthly fire drills and keep
# evacuation time under 4 minutes"); a level held in one clause measures nothing about
# the work in the other, so each clause is read on its own.
CLAUSE_JOINS = lexicon("and while whilst")
VAGUE_WORDS = lexicon(
    "significantly substantially greatly dramatically considerably drastically "
    "meaningfully massively hugely continuously continually better stronger great "
    "excellent efficient effective proactive robust world-class best-in-class "
    "high-quality top-notch exceptional outstanding seamless holistic innovative optimal "
    "various some more many several lots numerous things stuff synergies excellence"
)
# Vague verbs in any form: improve, improved, improvement, optimisation...
VAGUE_STEM = re.compile(
    r"(?:improv|enhanc|optimi[sz]|streamlin|leverag|maximi[sz]|minimi[sz]|strengthen)"
    r"(?:e|es|ed|ing|ement|ements|ation|ations|s)?"
)
# Comparatives with no number to compare with: "Answer emails faster". As the first
# word they are verbs ("Lower costs"), which name a direction like "Reduce".
COMPARATIVES = lexicon(
    "faster quicker sooner cheaper easier smoother simpler clearer higher lower fewer "
    "less greater bigger larger smaller shorter deeper closer wider broader tighter"
)
# Hedges: an open-ended commitment with no finish line ("as needed", "wherever
# possible", "as much as possible"): a conjunction of condition, then its condition.
HEDGE_HEADS = lexicon("as where wherever when whenever if")
HEDGE_TAILS = lexicon("needed required necessary possible appropriate applicable feasible")
# Verbs of a part played rather than a result: "Support the sales team", "Help out
# with the project"; and "take" with a noun of responsibility ("Take ownership of").
INVOLVEMENT_VERBS = lexicon("support help assist contribute participate")
# Verbs of attention and their particles: "Work on my Excel skills", "Focus on
# onboarding", "Look into churn" say where effort goes, not what will be different.
ATTENTION_VERBS = lexicon("work focus concentrate look dig think")
ATTENTION_PARTICLES = lexicon("on into at about")
RESPONSIBILITY_NOUNS = lexicon("ownership responsibility charge")
NUMBER_WORDS = lexicon(
    "zero one two three four five six seven eight nine ten eleven twelve fifteen twenty "
    "thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "half third thirds"
)
FRACTIONS = lexicon("half third thirds")
# Fractions that are numbers only after "a" or a number word: "by a quarter" is a
# change, while "by quarter end" or "every quarter" is a period of time.
PART_FRACTIONS = lexicon("quarter quarters fifth fifths tenth tenths")
UNIT_WORDS = lexicon(
    "percent pp points pts minutes mins min hours hrs h days weeks months years seconds "
    "secs sec s ms x times"
    # a unit after "one" or "1" is singular: "one hour ahead", "by one point"
    " point minute hour day week month year second"
)
# Words before a number that make it a name, a rank or a time frame.
FRAMING = lexicon(
    "top first last next past tier level phase stage type version series gen grade no "
    "number soc iso ward windows"
    # places and steps in a numbered series: "line 4", "year 3", "week 12", "room 101"
    " line room floor building site gate bay zone year sprint week day module chapter"
)
# Before a number, words of definite reference: a number that counts after them has a
# plural noun ("the 40 caseworkers"); one that names has none ("the 311 service").
DETERMINERS = lexicon("the our their my your its this")
# Words before a number that compare with it: a level to reach or to stay within.
COMPARE = lexicon("under below above over within least most than at to beyond")
# A quantifier and a bound on its noun set the scope of a task's object ("Audit every
# vendor contract over $50k", "Review all SOPs older than two years": which ones), not
# a result. "to", "at", "within" are left out: after them a number is a target ("Train
# every nurse to 95%"), except a count of places after "at" ("at 3 terminals").
SCOPE_QUANTIFIERS = lexicon("every each all any")
SCOPE_BOUNDS = lexicon("over above under below than")
# Words after a number that compare with it: "65 or higher".
COMPARE_AFTER = lexicon("higher more better lower less fewer above below")
# Words after a number that make it a change: "10,000 more patients".
MORE = lexicon("more fewer less extra additional")
# Events and pieces of work, counted: the count of work done, whatever the verb
# ("Make 300 cold calls", "Hold 6 consultation evenings"), not what it changed.
ACTIVITY_NOUNS = lexicon(
    "calls webinars meetings interviews workshops sessions appeals emails mailings posts "
    "articles videos demos events conferences campaigns trainings courses newsletters "
    "presentations talks evenings consultations briefings lessons classes tours meetups "
    "hackathons drills visits exhibitions shows performances screenings"
)
# A body of planned work: a share of it done ("80% of the roadmap") is output, the
# scope of a task, as 100% is.
PLAN_NOUNS = lexicon(
    "roadmap plan plans backlog milestones deliverables tasks actions projects "
    "initiatives stories epics curriculum checklist programme program training modules"
    # participles that make any work planned: "90% of the planned inspections"
    " planned scheduled"
)
# Words that make people newcomers: "400 first-time donors" are won like "400 new donors".
NEW_WORDS = lexicon("new first-time net-new")
# People and organisations a team wins from outside: a count of new ones is a result
# ("Recruit 150 new donors"), where a count of staff hired or people called is work.
MARKET_NOUNS = lexicon(
    "customers clients users donors members subscribers sponsors supporters buyers "
    "patrons accounts logos signups sign-ups leads deals volunteers students"
    # people who give to, pay, follow or use an organisation, by another name
    " givers backers funders contributors shoppers guests tenants residents readers "
    "listeners viewers followers fans players learners pupils attendees riders passengers "
    "commuters"
)
# Verbs of reaching out to people: the count of people reached is work done, even when
# they are new ("Call 300 new leads"), not people won.
CONTACT_VERBS = lexicon("call email phone text contact visit interview survey meet message")
# A level without a digit, the one a number has now: "Maintain our current NPS", "Keep
# costs flat". Not "high" or "low": a level not stated is vague wording (OKR203).
LEVEL_WORDS = lexicon("current existing today's present same flat steady stable constant unchanged")
# A level named by the standard it is measured against: "Stay under budget", "Keep
# response times within SLA". After a comparison ("under", "within", "below", "on"...),
# the standard is the number, written down elsewhere.
STANDARD_NOUNS = lexicon(
    "budget budgets plan forecast target targets sla slas limit limits cap quota threshold "
    "tolerance tolerances spec specification"
)
BOUND_WORDS = lexicon("under below above over within at to on")
# Grades a rating is given in: "Remain rated Excellent" holds a level with no digit.
GRADE_WORDS = lexicon("outstanding excellent good gold silver bronze platinum green a aa aaa")
# Words that start a title but are no verb: a title's subject ("Everyone", "Our") or a
# count ("Zero", "Every"): the title is no imperative.
NOT_VERBS = lexicon("i we you they everyone everybody nobody no-one someone no a an these those")
# Adverbs of frequency sit inside a statement's verb phrase: a title with one states
# what happens ("Minor cases never wait behind major ones"), it orders no work.
FREQUENCY_ADVERBS = lexicon("never always rarely seldom usually")
# Endings of adjectives, never of a verb of work: "Personal", "Seamless", "Joyful".
_ADJECTIVE = re.compile(r"[a-z-]+(?:[^ei]al|ous|ful|less|ic)|[a-z-]{3,}ial")
# A standing held as it is, a yes/no level: keeping a certification or a rating is
# business as usual, a KPI with a date ("Maintain our ISO 9001 certification").
STATUS_WORDS = lexicon(
    "certification certified accreditation accredited compliance compliant licence "
    "license licensed rating status"
)
# A rating scale's unit written as an adjective: "our 4.9-star reputation" names the
# level a rating stands at, where "7-day activation" names the window of a measure.
RATING_UNITS = lexicon("star stars")
# A standing with a prefix of what it certifies: "GMP-certified", "ISO-accredited".
STATUS_SUFFIX = re.compile(r"[a-z0-9]+-(?:certified|accredited|compliant|licensed)")
# A financial measure's sign is a level too: "cash-flow positive", "EBITDA negative";
# the sign word alone ("Keep the team positive") is not.
SIGN_WORDS = lexicon("positive negative")
MONEY_WORDS = lexicon(
    "cash cash-flow cashflow ebitda margin margins profit profits income earnings balance"
)
# A sign held with no measure word before it: a state of the accounts.
FINANCE_STATES = lexicon("profitable break-even solvent")
# Words after a task's measure that make it the task's timing: "Send reminders 48 hours
# before every appointment" says when the work is done, not a result to reach.
TIMING_WORDS = lexicon("before after ahead prior ago")
# Words that carry a task's scope on past its noun: "every supplier with a risk score
# above 7", "all SOPs whose review is older than two years".
SCOPE_LINKS = lexicon("with whose")
# Particles after a verb of work: "rolled out", "set up", "written up", "deployed
# live"; a participle and its particle still say the work is done.
WORK_PARTICLES = lexicon("out up over off live")
PREPOSITIONS = lexicon("by on in at for to across before within with from and into onto through")
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
# Past participles not ending in "-ed"; "set" and "run" as well, in a noun phrase's
# participle ("New intranet set up for the ward", "12 webinars run").
PARTICIPLES = lexicon("held kept built rebuilt written rewritten sent set run")


# A title's tokens: words (lowercase letters, digits after a letter, "'" and "-": "q3",
# "7-day" is one token), numbers (digits with an optional currency or "#" before and a
# unit after: "$2.0m", "4.2%", "800ms") and arrows ("NPS 35 -> 50"). Each alternative
# is a fixed prefix then one run of a character class: no backtracking on any input.
# Words of any script, so "café" or "Réduire" stays one word, not an ASCII fragment
# read as a word of its own; the word lists themselves are English.
_TOKEN = re.compile(r"[$€£#]?\d[\d.,:/]*[a-z%]*(?:-[a-z0-9]+)*|[^\W\d_][\w'-]*|->|=>|[→⇒⟶]")


# A number with no unit, currency or other mark: "3", "4.9".
BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


# The small words of the languages besides English that OKRs are most often written in
# (French, German, Spanish, Portuguese, Italian, Dutch), and English's own. A title with
# more of the first than of the second is not English: the English word lists would
# judge its words by their lookalikes ("Passer de 1,200 à 1,450 couverts" is no task).
# Words that are English words too ("a", "in", "do", "no", "plus", "van", "met") are
# left out.
_OTHER_SMALL_WORDS = lexicon(
    "de la le les des du au aux à et pour par sur dans une avec "
    "der das dem und mit für von zu auf bei vom zum zur "
    "el los las del y para por una más "
    "da na ao pelo pela mais "
    "il lo gli di che nel della delle più "
    "het een voor naar bij meer"
)
_ENGLISH_SMALL_WORDS = lexicon(
    "the an of to for by from with and on at our into than under above below every "
    "each all new more less"
)


def reads_english(toks: list[str]) -> bool:
    """Whether a title's words (:func:`tokens`) read as English: fewer than two small
    words of another language, or no more of them than of English. One is a name's
    ("in Los Angeles", "in Le Mans"); a title of numbers and names alone is English."""
    other = sum(t in _OTHER_SMALL_WORDS for t in toks)
    return other < 2 or other <= sum(t in _ENGLISH_SMALL_WORDS for t in toks)


def tokens(text: str) -> list[str]:
    """The words, numbers and arrows of ``text``, lowercase, trailing punctuation dropped."""
    return [t.rstrip(".,:") for t in _TOKEN.findall(text.lower())]


def is_number(tok: str) -> bool:
    """Whether token ``tok`` is a number ("4.2%", "$2m", "#1"), not a word or an arrow."""
    return not tok[0].isalpha() and tok not in ARROWS


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


def is_form(word: str, verbs: frozenset[str]) -> bool:
    """Whether ``word`` is a form of one of ``verbs``: "launched", "keeping", "held"."""
    return not _bases(word).isdisjoint(verbs)


def is_work(word: str, base: bool = False) -> bool:
    """Whether ``word`` is a verb of work (only its base form if ``base``): "launch",
    "launched"; re- and a verb of work is one too: "retrain", "re-audited", "reissue"."""
    if not word[:1].isalpha() or is_form(word, NOT_REDONE):
        return False
    stem = word[3:] if word.startswith("re-") else word[2:] if word.startswith("re") else ""
    if base:
        return word in TASK_VERBS or stem in TASK_VERBS
    return is_form(word, TASK_VERBS) or (len(stem) > 1 and is_form(stem, TASK_VERBS))


def is_participle(word: str) -> bool:
    """Whether ``word`` may be a past participle: "launched", "held", "kept"."""
    return word in PARTICIPLES or word.endswith("ed")


def is_plural(word: str) -> bool:
    """Whether ``word`` reads as a plural noun: "calls", not "process" or "status"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))


def may_be_verb(word: str) -> bool:
    """Whether ``word``, first in a title, may be an imperative verb: not a function word
    or a count ("Our", "Zero"), a plural noun ("Customers"), a comparative ("Faster",
    "Happier"), an adverb ("Significantly"), an adjective ("Personal") or an "-ing" or "-ed"
    form ("Improved")."""
    # English verbs only: the word lists are English, and a word of another language
    # ("Réduire") is no verb of theirs to judge.
    if not word.isascii() or not word[:1].isalpha() or is_plural(word):
        return False
    if word.endswith(("ing", "ed", "ier")):
        return False
    if word.endswith("ly") and not word.endswith("ply"):  # "apply", "supply" are verbs
        return False
    if _ADJECTIVE.fullmatch(word):  # "trial" and "dial" stay verbs
        return False
    closed = NOT_VERBS | DETERMINERS | SCOPE_QUANTIFIERS | NUMBER_WORDS | NEW_WORDS
    return word not in closed and word not in MORE and word not in COMPARATIVES


def next_word(toks: list[str], i: int) -> str:
    """The token after ``i``, or "" at the end of the title."""
    return toks[i + 1] if i + 1 < len(toks) else ""


# Verbs the rules know as something other than work: a change, a level held, an effect
# or direction, a part played, attention. Any other verb first in a title may be work.
NOT_WORK_VERBS = (
    CHANGE_VERBS
    | MULTIPLIERS
    | KPI_VERBS
    | STANDING_VERBS
    | EFFECT_VERBS
    | INVOLVEMENT_VERBS
    | ATTENTION_VERBS
)
