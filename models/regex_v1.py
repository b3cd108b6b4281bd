"""regex.v1: a standard-library-only baseline of hand-written patterns.

What it does (each pattern follows annotation/LABELS.md, no gold was read):

- DATE: month-day(-year) ("October 29, 2024", "Tuesday, November 19",
  "October 27-28"), day-month ("3 October"), month-year, "early 2024",
  "fall of 2024", "end of April", "last week of October", years 1800-2099,
  decades ("1970s"), bare months (``May`` only after a preposition or before
  a day), weekdays, relative phrases ("last week", "earlier this year",
  "coming months", "next two months", "year's end", "same day") and bare
  seasons except the verb-like "fall".
- QUANTITY: digits with commas/decimals, spelled-out cardinals, ranges
  ("25-30 thousand"), scale and magnitude words ("1.5 million", "several
  thousand", "thousands"), the approximator right before the number ("up to",
  "about", "nearly", "some", "over", "more than", "at least", ...) and a few
  units ("70 km", "5%"). Numbers inside a DATE, ordinals, identifiers
  ("G20", "IL-76", "@handles") and durations/multipliers ("two weeks",
  "three times") are left out.
- ATTRIBUTION: the noun phrase before a reporting verb ("X said", "X has
  reported", "X, director of ..., considers"), the phrase after "according to",
  "reported/confirmed/released by", "relying on", inverted "..., explains X",
  the owner of a claim noun ("Ukraine's estimate" -> ``Ukraine``), an
  embedded post's byline ("— Name") and a headline speaker ("Blinken: ...").
  Person names lose their titles ("NATO Secretary General Mark Rutte" ->
  ``Mark Rutte``).

What it cannot do: it has no parser and no lexicon beyond the word lists
below, so noun phrases are guessed from capitalization; lowercase sources
outside the head list ("document" in "A document obtained by CNN indicates")
are missed; a subject preceded by a preposition is dropped rather than
repaired; a year-like number that counts something ("2000 troops") is a
DATE; "today"/"this year" style words are taken as dates whatever their
role; no coreference, so pronoun subjects give nothing (by design).

The word lists and :func:`find_attributions` are shared: libs.v1 imports the
latter, and the spaCy baselines reuse the lists and :func:`trim`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from corpus.types import Document, Span, make_span

from .base import finish
from .words import REPORTING_VERBS

# --- shared word lists -------------------------------------------------------

# Inverted order after a quote: "..., explains Cha Du-hyeogn".
INVERTED_VERBS = frozenset("said says explains explained added adds noted notes stated wrote warned".split())

APPROXIMATORS: tuple[str, ...] = (
    "up to", "about", "approximately", "around", "nearly", "almost", "roughly",
    "some", "over", "more than", "less than", "fewer than", "at least",
    "at most", "as many as", "close to", "just over", "just under", "upwards of",
)

# Nouns that head a source phrase when they are not capitalized.
SOURCE_HEADS = frozenset(
    """intelligence intel officials official agency agencies ministry network
    sources source outlet outlets government analysts analyst experts expert
    researchers reports report documents document calculations estimates data
    service services military command authorities countries allies diplomats
    observers media office department spokesperson spokesman spokeswoman
    newspaper journalists correspondents institute center centre council""".split()
)
# Lowercase premodifiers allowed inside a source phrase ("top military chief").
MODIFIERS = frozenset(
    """military defense defence senior top foreign western independent
    intelligence government local recent anonymous former national state
    security unnamed diplomatic arms""".split()
)
TITLES = frozenset(
    """president minister secretary general chancellor director chief head
    leader ambassador spokesperson spokesman spokeswoman analyst advisor
    adviser commander governor senator mayor premier envoy""".split()
)
# A claim noun owned by its source: "Ukraine's estimate" -> Ukraine.
CLAIM_NOUNS = frozenset(
    """estimate estimates warning warnings assessment assessments statement
    statements claim claims figure figures count tally calculation
    calculations forecast""".split()
)
DETERMINERS = frozenset("the a an this these that those".split())
PREPOSITIONS = frozenset(
    "on in since by at towards toward of from to for with during within about against near into over under".split()
)
PRONOUNS = frozenset("i you he she it we they who which that this these those there".split())
_AUX_ADVERBS = frozenset(
    """has have had also previously later reportedly allegedly repeatedly
    recently publicly already further again earlier first then once""".split()
)
_DANGLING = DETERMINERS | PREPOSITIONS | {"and", "or"}
_PASSIVE = frozenset("is was were are be been being".split())

_APOS = "'’"
# "this year" stays whole: "year" alone would not place anything in time.
_DEICTIC_DATE = re.compile(r"(?:this|these|that)\s+(?:\w+\s+)?(?:day|week|weekend|month|year|quarter|summer|winter|spring|fall|autumn)s?\b", re.I)
_APPROX_START = re.compile("(?:" + "|".join(a.replace(" ", r"\s+") for a in APPROXIMATORS) + r")\s+\S", re.I)
_TRAILING_PUNCT = ".,;:!?\"“”‘’'()[]{}—–-/…"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut ``[start, end)`` to the span rules: no leading determiner or
    preposition ("according to" included; approximators such as "at least",
    "about", "over" kept), no trailing punctuation, no dangling possessive
    ``'s``, no outer whitespace.

    Returns an empty range when nothing is left.
    """
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        head = text[start:end]
        m = re.match(r"(\w+)\s+", head)
        if m and not _APPROX_START.match(head) and not _DEICTIC_DATE.match(head):
            word = m.group(1).lower()
            if word == "according" and re.match(r"to\b", head[m.end():], re.I):
                start += m.end() + 2
                continue
            if word in DETERMINERS or word in PREPOSITIONS:
                start += m.end()
                continue
        if end > start and text[end - 1] in _TRAILING_PUNCT:
            # keep the period of an abbreviation such as "U.S."
            if text[end - 1] == "." and re.search(r"(?:\b[A-Z]\.){2,}$", head):
                break
            end -= 1
            continue
        if end - start > 2 and text[end - 1] in "sS" and text[end - 2] in _APOS:
            end -= 2
            continue
        m = re.search(r"\s+(\w+)$", text[start:end])
        if m and m.group(1).lower() in _DANGLING:
            end = start + m.start()  # "fall of" cut from "fall of 2024"
            continue
        break
    return start, end


# --- tokens -------------------------------------------------------------------

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[\w@][\w'’@-]*|\S")


class _Tok:
    __slots__ = ("text", "start", "end")

    def __init__(self, m: re.Match):
        self.text, self.start, self.end = m.group(), m.start(), m.end()

    @property
    def bare(self) -> str:
        """The word without a possessive ending, lowercased."""
        t = self.text
        if len(t) > 2 and t[-2] in _APOS and t[-1] in "sS":
            t = t[:-2]
        return t.rstrip(_APOS).lower()

    @property
    def cap(self) -> bool:
        return self.text[0].isupper() and self.text[0].isalpha() or bool(re.match(r"[A-Z]+\d", self.text))

    @property
    def possessive(self) -> bool:
        return len(self.text) > 2 and self.text[-2] in _APOS and self.text[-1] in "sS"

    @property
    def wordlike(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "@"


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m) for m in _TOKEN.finditer(text)]


def _np_ok(tok: _Tok) -> bool:
    """Can this token sit inside a source phrase?"""
    if not tok.wordlike or tok.bare in PRONOUNS or tok.bare in DETERMINERS:
        return False
    if tok.cap:
        return tok.bare not in PREPOSITIONS
    return tok.bare in SOURCE_HEADS or tok.bare in MODIFIERS or tok.bare in TITLES


def _head_ok(tok: _Tok) -> bool:
    """Can this token end (head) a source phrase?"""
    return _np_ok(tok) and (tok.cap or tok.bare in SOURCE_HEADS or tok.bare in TITLES)


def _strip_title(toks: Sequence[_Tok]) -> Sequence[_Tok]:
    """A person's name without the title before it ("President of Ukraine X Y" -> "X Y")."""
    last = max((i for i, t in enumerate(toks) if t.bare in TITLES), default=None)
    if last is None:
        return toks
    rest = list(toks[last + 1:])
    if len(rest) >= 2 and rest[0].bare == "of" and rest[1].cap:
        rest = rest[2:]
    if rest and all(t.cap and not t.possessive for t in rest):
        return rest
    return toks


def _np_backward(toks: Sequence[_Tok], j: int) -> list[_Tok]:
    """The source phrase ending at token ``j`` (scanning left), or []."""
    if j >= 0 and toks[j].text == ")":  # "Service (NIS) said": skip the parenthesis
        k = j
        while k >= 0 and toks[k].text != "(" and j - k < 6:
            k -= 1
        if k >= 0 and toks[k].text == "(":
            j = k - 1
    if j < 0 or not _head_ok(toks[j]):
        return []
    i = j
    while i - 1 >= 0:
        t = toks[i - 1]
        if _np_ok(t) and not (t.possessive and not (t.cap or t.bare in SOURCE_HEADS)):
            i -= 1
        elif t.bare in ("and", "of") and i - 2 >= 0 and toks[i - 2].cap and toks[i - 2].wordlike:
            i -= 1
        else:
            break
    while i <= j and toks[i].bare in ("and", "of"):
        i += 1
    phrase = list(toks[i:j + 1])
    if not phrase or (i - 1 >= 0 and toks[i - 1].bare in PREPOSITIONS):
        return []  # "Documents obtained from Kyiv suggest": Kyiv is not the subject
    return list(_strip_title(phrase))


def _np_forward(toks: Sequence[_Tok], i: int) -> list[_Tok]:
    """The source phrase starting at token ``i`` (after a cue such as "according to")."""
    while i < len(toks) and toks[i].bare in DETERMINERS:
        i += 1
    j = i
    while j < len(toks):
        t = toks[j]
        if t.wordlike and t.cap and t.bare not in PRONOUNS:
            j += 1
        elif t.wordlike and (t.bare in SOURCE_HEADS or t.bare in TITLES):
            j += 1
        elif t.bare in ("and", "of") and j + 1 < len(toks) and toks[j + 1].cap and j > i:
            j += 1
        elif t.wordlike and t.text.islower() and t.bare not in PREPOSITIONS | PRONOUNS | {"and", "or"} and any(
            toks[k].bare in SOURCE_HEADS for k in range(j + 1, min(j + 3, len(toks)))
            if all(toks[m].wordlike and toks[m].text.islower() for m in range(j, k + 1))
        ):
            j += 1  # lowercase premodifier of a head ("recent reports", "arms researchers")
        else:
            break
    while j > i and toks[j - 1].bare in ("and", "of"):
        j -= 1
    phrase = list(toks[i:j])
    if not phrase:
        return []
    if phrase[-1].bare in CLAIM_NOUNS:
        owners = [k for k, t in enumerate(phrase[:-1]) if t.possessive]
        if owners:  # "according to Ukraine's assessment" -> Ukraine
            return list(_strip_title(phrase[: owners[-1] + 1]))
        if len(phrase) == 1:  # "a statement released by X": X is the source
            return []
    return list(_strip_title(phrase))


def _sentence_bound(toks: Sequence[_Tok], text: str, j: int) -> bool:
    return toks[j].text in ".!?;" or "\n" in text[toks[j].end:toks[j + 1].start if j + 1 < len(toks) else toks[j].end]


def _subject_before(toks: Sequence[_Tok], text: str, v: int) -> list[_Tok]:
    """The subject phrase of the reporting verb at token ``v``."""
    j = v - 1
    while j >= 0 and toks[j].bare in _AUX_ADVERBS and toks[j].text.islower():
        j -= 1
    if j < 0 or toks[j].bare in _PASSIVE:
        return []
    if toks[j].text != ",":
        return _np_backward(toks, j)
    # "X, <apposition>, said": the apposition if it is a name, else X
    k = j - 1
    while k >= 0 and toks[k].text != "," and not _sentence_bound(toks, text, k) and j - k < 25:
        k -= 1
    if k < 0 or toks[k].text != ",":
        return []
    segment = toks[k + 1:j]
    if segment and all(t.cap or t.text in "-" for t in segment):
        return _np_backward(toks, j - 1)
    return _np_backward(toks, k - 1)


def _after_clause(toks: Sequence[_Tok], v: int) -> bool:
    """Does the verb at ``v`` follow a clause (``...,” says X``, ``..., explains X``)?"""
    return v > 0 and toks[v - 1].text in {",", "”", '"', "’"}


def _range(toks: Sequence[_Tok]) -> tuple[int, int] | None:
    return (toks[0].start, toks[-1].end) if toks else None


def find_attributions(text: str) -> list[tuple[int, int]]:
    """Character ranges of ATTRIBUTION spans found by the cue patterns above."""
    toks = _tokens(text)
    found: list[tuple[int, int]] = []

    def add(phrase: list[_Tok]) -> None:
        r = _range(phrase)
        if r:
            s, e = trim(text, *r)
            if e > s:
                found.append((s, e))

    for v, tok in enumerate(toks):
        low = tok.text.lower()
        nxt = toks[v + 1].bare if v + 1 < len(toks) else ""
        if low in REPORTING_VERBS and tok.text.islower():
            if nxt == "by":
                add(_np_forward(toks, v + 2))  # "reported by CNN"
            else:
                add(_subject_before(toks, text, v))
            if low in INVERTED_VERBS and _after_clause(toks, v) and v + 1 < len(toks) and _np_ok(toks[v + 1]):
                add(_np_forward(toks, v + 1))  # "...,” explains Cha Du-hyeogn"
        elif (low in ("released", "issued", "published") and nxt == "by") or (low == "relying" and nxt == "on"):
            add(_np_forward(toks, v + 2))  # "a statement released by X", "CNN, relying on X"
        elif low == "citing":
            add(_np_forward(toks, v + 1))
        elif low == "according" and nxt == "to":
            add(_np_forward(toks, v + 2))
        elif tok.possessive and tok.cap and nxt in CLAIM_NOUNS:
            i = v  # "South Korea's warning" -> South Korea
            while i - 1 >= 0 and toks[i - 1].cap and toks[i - 1].wordlike and not toks[i - 1].possessive:
                i -= 1
            while i < v and toks[i].bare in DETERMINERS:
                i += 1
            add(list(toks[i:v + 1]))
    # An embedded post's byline ("— Volodymyr Zelenskyy / ...") and a
    # headline speaker ("Blinken: US must ...", "The NYT: ...").
    for m in re.finditer(r"(?m)^[—–]\s*([A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){0,3})", text):
        found.append(trim(text, m.start(1), m.end(1)))
    for m in re.finditer(r"(?m)^(?:[-•*][ \t]*)?((?:The[ \t]+)?[A-Z][\w’'.-]*(?:[ \t]+[A-Z][\w’'.-]*){0,2}):[ \t]+\S", text):
        found.append(trim(text, m.start(1), m.end(1)))
    return found


# --- dates --------------------------------------------------------------------

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]|20)\d\d"
_PERIOD = r"(?:day|week|weekend|month|year|quarter|decade|summer|winter|spring|fall|autumn|" + _WEEKDAY + ")"
_COUNT = r"(?:few|several|couple\s+of|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+)"
_B = r"(?<![\w@#$/-])"  # not glued to a word, handle or identifier
_E = r"(?![\w]|[-–/]\d|,\d)"

_DATE_PATTERNS = [
    rf"{_B}(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:\s*[-–]\s*{_DAY})?(?:,?\s+{_YEAR})?{_E}",
    rf"{_B}(?:{_WEEKDAY},?\s+)?{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?{_E}",
    rf"{_B}{_MONTH},?\s+{_YEAR}{_E}",
    rf"{_B}(?i:early|late|mid|end|start|beginning|middle|fall|spring|summer|winter|autumn)(?:-|\s+of\s+|\s+)(?:{_YEAR}|{_MONTH}){_E}",
    rf"{_B}(?i:first|second|third|fourth|last|final|past|next)\s+(?:week|weekend|days|half|quarter)\s+of\s+(?:{_MONTH}|{_YEAR}){_E}",
    rf"{_B}(?i:summer|winter|spring|fall|autumn)\s+{_YEAR}{_E}",
    rf"{_B}(?:1[89]|20)\d0s{_E}",
    rf"{_B}{_YEAR}{_E}",
    rf"{_B}{_MONTH}{_E}",
    rf"{_B}{_WEEKDAY}{_E}",
    rf"{_B}(?i:(?:earlier|later|early|late|end\s+of)\s+(?:this|last|next|the)\s+|last\s+|next\s+|this\s+|past\s+|coming\s+|previous\s+|following\s+|same\s+){_PERIOD}{_E}",
    rf"{_B}(?i:next|last|past|coming|previous|following)\s+(?:{_COUNT}\s+)?(?i:days|weeks|months|years|decades){_E}",
    rf"{_B}(?i:year|month|week)[{_APOS}]s\s+end{_E}",
    rf"{_B}(?i:end|beginning|start|middle)\s+of\s+(?:the\s+|this\s+|last\s+|next\s+)?(?:year|month|week){_E}",
    rf"{_B}(?i:yesterday|today|tomorrow|tonight){_E}",
    rf"{_B}(?:[Ss]ummer|[Ww]inter|[Ss]pring|[Aa]utumn){_E}",
]
_DATE_RES = [re.compile(p) for p in _DATE_PATTERNS]
_MAY_CONTEXT = re.compile(r"(?:in|since|by|until|of|early|late|mid|through|before|after|from|last|next|this|during)\s+$", re.I)


def _longest_first(ranges: Iterable[tuple[int, int]], taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Non-overlapping ranges, longer ones winning; nothing overlapping ``taken``."""
    kept = list(taken)
    out = []
    for s, e in sorted(set(ranges), key=lambda r: (-(r[1] - r[0]), r[0])):
        if e > s and not any(s < ke and ks < e for ks, ke in kept):
            kept.append((s, e))
            out.append((s, e))
    return sorted(out)


def find_dates(text: str) -> list[tuple[int, int]]:
    """Character ranges of DATE spans.

    Every pattern is searched on its own so that overlapping candidates
    ("2024" inside "fall of 2024") compete and the longest wins.
    """
    found = []
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            s, e = m.span()
            if m.group() == "May" and not _MAY_CONTEXT.search(text[max(0, s - 12):s]):
                continue  # the modal verb at a sentence start, not the month
            found.append((s, e))
    return _longest_first(found)


# --- quantities ---------------------------------------------------------------

_SMALL = "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPELLED = rf"(?:(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|{_SMALL})"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
_NUM = rf"(?:{_DIGITS}|{_SPELLED})(?:\s+{_SCALE}){{0,2}}"
_MAGNITUDE = rf"(?:(?:several|few|many)\s+{_SCALE}s?|(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|hundreds|thousands|millions|billions|{_SCALE}|dozen)"
_UNIT = r"(?:\s?%|\s+(?:percent|per\s+cent|km|kilometers?|kilometres?|miles?|kg|kilograms?|tons?|tonnes?|metres?|meters?)\b)"
_APPROX = "|".join(a.replace(" ", r"\s+") for a in APPROXIMATORS)
_QUANTITY_RE = re.compile(
    rf"(?<![\w@#/.-])(?:(?:{_APPROX})\s+)?(?:[$€£]\s?)?"
    rf"(?:{_NUM}(?:(?:\s*[-–]\s*|\s+to\s+){_NUM})?|{_MAGNITUDE})"
    rf"{_UNIT}?(?![\w]|-\w|[.,]\d)",
    re.I,
)
QUANTITY_START = re.compile(rf"(?:(?:{_APPROX})\s+)?(?:[$€£]\s?)?(?:\d|{_SPELLED}\b|{_MAGNITUDE}\b)", re.I)
APPROX_BEFORE = re.compile(rf"(?<![\w-])(?:{_APPROX})\s+$", re.I)
_DURATION_AFTER = re.compile(
    r"\s+(?:more\s+)?(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?|decades?|centuries|nights?|times)\b", re.I
)
_PRONOUN_ONE = re.compile(r"(?:\bno|\bany|\bevery|\bsome)\s*$", re.I)


def find_quantities(text: str, taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character ranges of QUANTITY spans that do not overlap ``taken`` (the dates)."""
    found = []
    for m in _QUANTITY_RE.finditer(text):
        s, e = m.span()
        if _DURATION_AFTER.match(text, e):
            continue  # "two weeks", "three times": a duration or multiplier
        if m.group().lower() == "one" and _PRONOUN_ONE.search(text[max(0, s - 6):s]):
            continue  # "no one"
        if any(s < te and ts < e for ts, te in taken):
            continue  # "18" in "May 18"
        found.append(trim(text, s, e))
    return _longest_first(found)


class RegexExtractor:
    """Hand-written patterns only (see the module docstring)."""

    name = "regex.v1"

    def predict(self, docs: Sequence[Document]) -> list[Document]:
        return [finish(doc, self.spans(doc.text)) for doc in docs]

    @staticmethod
    def spans(text: str) -> list[Span]:
        dates = find_dates(text)
        sources = _longest_first(find_attributions(text), dates)
        quantities = find_quantities(text, dates + sources)
        return (
            [make_span(text, s, e, "DATE") for s, e in dates]
            + [make_span(text, s, e, "ATTRIBUTION") for s, e in sources]
            + [make_span(text, s, e, "QUANTITY") for s, e in quantities]
        )
