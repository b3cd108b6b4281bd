"""Normalized values for QUANTITY and DATE spans, shared by gold validation, extractors and the claim scorer.

One module, standard library only, so the gold, every baseline and the
scorer read ``about 600`` or ``3 October`` the same way. Functions take the
text of one span; they are lenient about what an extractor may leave around
it (surrounding quotes, trailing punctuation, a leading preposition before
a date, trailing unit or noun words after a number) and return None rather
than guess when the text cannot be read.

Quantities (``normalize_quantity``; low/high None = unbounded on that side;
whole values are ``int``, others ``float``):

==============================  =====================  ======  ============================================
text                            low .. high            approx  why
==============================  =====================  ======  ============================================
``11,000``, ``six``, ``1.5      n .. n                 no      a plain number is exact
million``, ``thousand``
``70 km``, ``5%``               70, 5                  no      the unit is ignored
``25-30 thousand``,             25000 .. 30000         no      a trailing scale word applies to both ends
``10 to 20 thousand``,                                         (only when the first end is not larger)
``between 10,000 and 12,000``
``up to 100,000``, ``under``,   None .. 100000         no      an upper bound only
``less than``, ``as many as``
``over 1.5 million``,           1500000 .. None        no      a lower bound only; "more than 7,000" is
``more than 7,000``,                                           strictly more, but the bound is kept as 7000
``at least 20``, ``10,000+``                                   so claims compare on the stated number
``about 600``, ``approximately  600 .. 600             yes     a point estimate
4,000``, ``around``, ``some``
``nearly 12,000``, ``almost``   12000 .. 12000         yes     read as a point estimate, not an upper bound:
                                                               the seeds say "nearly 12,000" and "some
                                                               12,000" of the same deployment
``thousands``, ``hundreds``,    2000 .. None           yes     a plural scale word means at least two of it
``dozens``, ``tens of
thousands`` (20000)
``several thousand``            3000 .. 9000           yes     "several" is three or more, and nobody says
                                                               "several thousand" of ten thousand or more
``a few thousand``              2000 .. 5000           yes     "a few" is two to about five
``a dozen``, ``two dozen``      12, 24                 no      dozen is a scale word worth 12
``-5``, ``G20``, ``first``,     None                           signed numbers, identifiers, ordinals and
``hello``, ``30-25``                                           reversed ranges are not counts
==============================  =====================  ======  ============================================

Dates (``normalize_date``; ``anchor`` is the document's publication date):

=====================================  =================  =================================================
text (anchor)                          value              why
=====================================  =================  =================================================
``October 29, 2024``, ``2022``,        as written         absolute; no anchor needed
``June 2024``, ``2024-10-31``
``early 2024``, ``fall of 2024``,      ``2024``           a part of a year has no ISO form: keep the year
``mid-2024``, ``end of 2024``
``3 October``, ``Tuesday, November     ``2024-10-03``     the year comes from the anchor: a month up to
19``, ``June``, ``end of April``,      ``2024-11-19``     two months after the anchor month is the coming
``last week of October``, ``mid-May``  ``YYYY-MM``        one ("in July or August" written in June), any
                                                          other is the latest one not after the anchor;
                                                          a weekday picks the year it is true in
``October 27-28``                      ``2024-10``        a day range keeps the precision both ends share
``the 1970s``, ``1980s``               None               a decade has no YYYY / YYYY-MM / YYYY-MM-DD form
``earlier this year``, ``this year``,  anchor year        the anchor's year (``last year``: minus one,
``year's end``, ``later this year``                       ``next year``: plus one)
``this month``, ``last month``         anchor month       needs a month-precise anchor
``last week``, ``this week``,          anchor month       the month of the week before / of the anchor
``today``, ``yesterday``                                  (day anchor: computed, coarsened to the month,
                                                          or the day for today/yesterday/tomorrow);
                                                          a month anchor stands in for the week's month
``Monday``                             None               a bare weekday needs a day-precise anchor: then
                                                          the latest such day on or before it
``summer``, ``this summer``            anchor year        a bare season is the anchor's year
``last summer``                        year               the latest season that ended before the anchor
                                                          month (None with a year-only anchor; relative
                                                          winters span two years: None)
``coming months``, ``coming weeks``,   None               a forecast window, not a calendar point; the
``next two months``, ``soon``                             window may cross a year end
``same day``, ``that day``             None               anaphoric: ``resolve_anaphoric_date`` takes the
                                                          antecedent's value (the linker passes it)
=====================================  =================  =================================================

Without an anchor every relative form is None. ``iso_matches`` compares a
prediction with the gold at the gold's precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

__all__ = ["Quantity", "normalize_quantity", "normalize_date", "parse_iso", "iso_matches",
           "resolve_anaphoric_date", "is_anaphoric_date"]


# --------------------------------------------------------------------------- quantities

@dataclass(frozen=True, slots=True)
class Quantity:
    """Normalized bounds of a QUANTITY; None means unbounded on that side."""

    low: float | int | None
    high: float | int | None
    approximate: bool


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_BIG = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALES = {"hundred": 100, "dozen": 12, **_BIG}
_NUMBER_WORDS = set(_UNITS) | set(_TENS) | set(_SCALES) | {s + "s" for s in _SCALES} | {"tens", "several", "few"}

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_APPROX, _UPPER, _LOWER = "approx", "upper", "lower"
_PREFIXES = sorted(
    [(p, _APPROX) for p in ("about", "approximately", "approx.", "approx", "around", "roughly", "some",
                            "nearly", "almost", "close to", "an estimated", "estimated", "circa", "ca.", "~")]
    + [(p, _UPPER) for p in ("up to", "at most", "no more than", "not more than", "as many as", "less than",
                             "fewer than", "under", "below", "a maximum of")]
    + [(p, _LOWER) for p in ("at least", "more than", "over", "well over", "above", "in excess of",
                             "upwards of", "no fewer than", "no less than", "not less than", "a minimum of")],
    key=lambda p: -len(p[0]))
_RANGE_SEP = re.compile(r"\s*-\s*|\s+(?:to|or)\s+")
_VAGUE = re.compile(r"(?:(tens|dozens|hundreds) of )?(dozens|hundreds|thousands|millions|billions|tens)")
_FEW = re.compile(r"(several|a few|few)(?: (.+))?")
_FEW_BOUNDS = {"several": (3, 9), "a few": (2, 5), "few": (2, 5)}
_PLURAL = {"tens": 10, "dozens": 12, "hundreds": 100, "thousands": 10**3, "millions": 10**6, "billions": 10**9}


def _clean(text: str) -> str:
    """Lower case, one kind of dash and space, no wrapping quotes or trailing punctuation."""
    s = text.replace("\u00a0", " ").replace("\u2212", "-")
    s = re.sub(r"[\u2010-\u2015]", "-", s).lower()
    s = s.strip().strip("\"'“”‘’«»()[]").strip()
    s = re.sub(r"[.,;:!?\"'“”‘’)\]]+$", "", s)
    return re.sub(r"\s+", " ", s)


def _as_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _words(tokens: list[str]) -> Decimal | None:
    """A spelled-out cardinal (``twenty five thousand``, ``a hundred``); None if the words are not one."""
    total, current, prev = 0, 0, None
    for i, t in enumerate(tokens):
        if t in ("a", "an") and i == 0:
            current, prev = 1, "a"
        elif t == "and" and prev in ("hundred", "big"):
            prev = "and"
        elif t in _UNITS:
            if prev in ("unit", "a") or (prev == "tens" and _UNITS[t] >= 10):
                return None
            current, prev = current + _UNITS[t], "unit"
        elif t in _TENS:
            if prev in ("unit", "tens", "a"):
                return None
            current, prev = current + _TENS[t], "tens"
        elif t in ("hundred", "dozen"):
            if prev == "hundred":
                return None
            current, prev = (current or 1) * _SCALES[t], "hundred"
        elif t in _BIG:
            if prev in ("big", "and"):
                return None
            total, current, prev = total + (current or 1) * _BIG[t], 0, "big"
        else:
            return None
    if prev in (None, "a", "and"):
        return None
    return Decimal(total + current)


def _number(s: str) -> tuple[Decimal, int] | None:
    """One number and its trailing scale (``1.5 million`` -> 1500000, 1000000); None if ``s`` is not one."""
    tokens = s.split()
    if not tokens:
        return None
    m = _DIGITS.fullmatch(tokens[0])
    if m:
        scale = 1
        for t in tokens[1:]:
            if t not in _SCALES:
                return None
            scale *= _SCALES[t]
        try:
            return Decimal(tokens[0].replace(",", "")) * scale, scale
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None
    if len(tokens) >= 3 and tokens[0] == "half" and tokens[1] in ("a", "an") and tokens[2] in _SCALES:
        rest = _number(" ".join(["one", *tokens[2:]]))
        return (rest[0] / 2, rest[1]) if rest else None
    words = [w for t in tokens for w in t.split("-")]
    value = _words(words)
    if value is None:
        return None
    scale = _SCALES[words[-1]] if words[-1] in _SCALES else 1
    return value, scale


def _core(s: str) -> tuple[Decimal | None, Decimal | None, bool] | None:
    """Bounds of ``s`` without an approximator: a number, a range or a vague magnitude."""
    m = _VAGUE.fullmatch(s)
    if m:
        inner, outer = m.groups()
        return Decimal(2 * _PLURAL[outer] * (_PLURAL[inner] if inner else 1)), None, True
    m = _FEW.fullmatch(s)
    if m:
        words = m.group(2).split() if m.group(2) else []
        if not all(w in _SCALES for w in words):
            return None
        scale = _number("one " + m.group(2))[0] if words else 1
        lo, hi = _FEW_BOUNDS[m.group(1)]
        return Decimal(lo * scale), Decimal(hi * scale), True
    single = _number(s)
    if single:
        return single[0], single[0], False
    m = re.fullmatch(r"(?:between (.+) and|from (.+) to) (.+)", s)
    if m:
        splits = [(m.group(1) or m.group(2), m.group(3))]
    else:
        splits = [(s[:sep.start()], s[sep.end():]) for sep in _RANGE_SEP.finditer(s)]
    for left, right in splits:
        a, b = _number(left), _number(right)
        if a and b:
            (lo, lo_scale), (hi, hi_scale) = a, b
            if lo_scale == 1 and hi_scale > 1 and lo <= hi / hi_scale:
                lo *= hi_scale
            return (lo, hi, False) if lo <= hi else None
    return None


def _expression(s: str) -> Quantity | None:
    kind = None
    for prefix, k in _PREFIXES:
        if s.startswith(prefix + " ") or (prefix == "~" and s.startswith("~")):
            kind, s = k, s[len(prefix):].strip()
            break
    if s.endswith("+") and kind is None:
        kind, s = _LOWER, s[:-1].strip()
    core = _core(s)
    if core is None:
        return None
    low, high, approximate = core
    if kind == _APPROX:
        approximate = True
    elif kind == _UPPER:
        low, high = None, high if high is not None else low
    elif kind == _LOWER:
        high = None
    if low is None and high is None:
        return None
    return Quantity(None if low is None else _as_number(low), None if high is None else _as_number(high),
                    approximate)


def normalize_quantity(text: str) -> Quantity | None:
    """Bounds of a QUANTITY span's text (approximator included), or None when it cannot be read.

    Trailing words that are not numbers (units, the counted noun, "more")
    are ignored: ``70 km`` -> 70, ``thousands more`` -> thousands. Decisions
    per form are in the module docstring.
    """
    s = _clean(text)
    s = re.sub(r"(?<=\d)(?=[a-z%])", " ", s).replace("%", " %").strip()
    tokens = s.split()
    for n in range(len(tokens), 0, -1):
        dropped = tokens[n:]
        if any(any(c.isdigit() for c in t) or t in _NUMBER_WORDS for t in dropped):
            return None
        q = _expression(" ".join(tokens[:n]))
        if q is not None:
            return q
    return None


# --------------------------------------------------------------------------- dates

_MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), 1) for name in names}
_WEEKDAYS = {name: i for i, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
_FUTURE_MONTHS = 2  # a bare month at most this far after the anchor month is the coming one

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_M = r"(" + _MONTH_NAMES + r")\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(\d{4})"
_WD = r"(?:(" + "|".join(_WEEKDAYS) + r"),? )?"
_PART = (r"(?:(?:early|late|mid)[ -]|(?:the )?(?:beginning|start|middle|end|first half|second half"
         r"|(?:first|second|third|fourth|final|last) (?:week|days|half)) of )?")
_YEAR_PART = (r"(?:(?:early|late|mid)[ -]|(?:the )?(?:beginning|start|middle|end) of "
              r"|(?:the )?(?:spring|summer|fall|autumn|winter)(?: of)? )?")

_ANAPHORIC = {"same day": 0, "that day": 0, "that same day": 0, "the same day": 0, "the next day": 1,
              "next day": 1, "the following day": 1, "following day": 1, "the day before": -1,
              "the previous day": -1, "previous day": -1, "day before": -1}
_VAGUE_FUTURE = re.compile(r"(?:the )?(?:coming|next|following|upcoming)(?: \w+)? (?:days|weeks|months|years)"
                           r"|(?:the )?(?:coming|upcoming) (?:day|week|month)s?|soon|(?:the )?near future")
_LEAD = re.compile(r"(?:(?:on|in|since|by|at|from|during|until|till|before|after|towards|toward|around) )?"
                   r"(?:(?:the|this|that) (?=\d|" + _MONTH_NAMES + r"))?")


def parse_iso(value: str) -> tuple[date, str]:
    """``'2024-10'`` -> ``(date(2024, 10, 1), 'month')``: the period's first day and its precision.

    Raises ValueError naming the value when it is not ISO 8601 at one of the
    three precisions the claims use.
    """
    m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", value) if isinstance(value, str) else None
    try:
        if m is None:
            raise ValueError
        y, mo, d = m.groups()
        start = date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date (allowed: YYYY, YYYY-MM, YYYY-MM-DD)") from None
    return start, ("day" if d else "month" if mo else "year")


def is_iso_date(value) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real calendar date (``parse_iso`` without the error)."""
    try:
        parse_iso(value)
    except ValueError:
        return False
    return True


def iso_matches(pred: str | None, gold: str | None) -> bool:
    """True when ``pred`` equals ``gold`` at the gold's precision (``2024-10-29`` matches ``2024-10``).

    A coarser prediction does not match (``2024`` vs ``2024-10``); a gold
    None is matched only by None.
    """
    if gold is None or pred is None:
        return gold is None and pred is None
    parse_iso(gold), parse_iso(pred)
    return len(pred) >= len(gold) and pred[:len(gold)] == gold


def _date_key(text: str) -> str:
    """A DATE text cleaned and without a leading preposition (``On the same day`` -> ``the same day``)."""
    s = _clean(text).replace("’", "'")
    return _LEAD.sub("", s, count=1) if _LEAD.match(s).end() < len(s) else s


def is_anaphoric_date(text: str) -> bool:
    """``same day``, ``the next day``: a DATE whose value comes from an earlier date, not from its text."""
    return _date_key(text) in _ANAPHORIC


def resolve_anaphoric_date(text: str, antecedent: str | None) -> str | None:
    """The value of an anaphoric DATE given its antecedent's ISO value; None otherwise.

    ``same day`` takes the antecedent as is; ``next day`` / ``day before``
    shift it by one day and so need a day-precise antecedent.
    """
    offset = _ANAPHORIC.get(_date_key(text))
    if offset is None or antecedent is None:
        return None
    start, precision = parse_iso(antecedent)
    if offset == 0:
        return antecedent
    return (start + timedelta(days=offset)).isoformat() if precision == "day" else None


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return None
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")


def _year_for(month: int, anchor: tuple[date, str] | None, day: int | None = None,
              weekday: int | None = None) -> int | None:
    """The year of a month (and day) written without one, from the anchor; see the module docstring."""
    if anchor is None:
        return None
    start, precision = anchor
    if precision == "year":
        year = start.year
    else:
        ahead = (month - start.month) % 12
        if 0 < ahead <= _FUTURE_MONTHS:
            year = start.year + (1 if month < start.month else 0)
        else:
            year = start.year if month <= start.month else start.year - 1
    if weekday is not None and day is not None:
        for y in (year, start.year, start.year - 1, start.year + 1):
            try:
                if date(y, month, day).weekday() == weekday:
                    return y
            except ValueError:
                continue
    return year


def _week_month(anchor: tuple[date, str], weeks: int) -> str | None:
    """The month of the Monday-Sunday week ``weeks`` away from the anchor's; its year if it spans two months."""
    start, precision = anchor
    if precision == "year":
        return f"{start.year:04d}"
    if precision == "month":
        return start.isoformat()[:7]
    monday = start - timedelta(days=start.weekday()) + timedelta(weeks=weeks)
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return monday.isoformat()[:7]
    return f"{monday.year:04d}" if monday.year == sunday.year else None


def _relative(s: str, anchor: tuple[date, str] | None) -> str | None:
    """Forms that count from the anchor: this/last/next year, month, week, day, season, weekday."""
    if anchor is None:
        return None
    start, precision = anchor
    m = re.fullmatch(r"(?:(?:earlier|later|so far|early|late|the end of|end of|the rest of|the start of) )?"
                     r"this year|(?:the )?(?:year's|year’s) end|(?:the )?end of the year|(?:the )?year-end"
                     r"|(?:(?:earlier|later|early|late|the end of|end of) )?(last|past|next) year", s)
    if m:
        return f"{start.year + {'last': -1, 'past': -1, 'next': 1}.get(m.group(1), 0):04d}"
    m = re.fullmatch(r"(?:(?:earlier|later|early|late|the end of|end of) )?(this|last|next) month"
                     r"|(?:the )?end of the month", s)
    if m:
        if precision == "year":
            return None
        month = start.year * 12 + start.month - 1 + {"last": -1, "next": 1}.get(m.group(1), 0)
        return f"{month // 12:04d}-{month % 12 + 1:02d}"
    m = re.fullmatch(r"(?:(?:earlier|later) )?(this|last|next|past) week(?:end)?", s)
    if m:
        return _week_month(anchor, {"last": -1, "past": -1, "next": 1}.get(m.group(1), 0))
    m = re.fullmatch(r"today|tonight|yesterday|tomorrow", s)
    if m:
        if precision != "day":
            return start.isoformat()[:4 if precision == "year" else 7]
        return (start + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(s, 0))).isoformat()
    m = re.fullmatch(r"(?:(last|this|next|past) )?(spring|summer|fall|autumn|winter)", s)
    if m:
        which, season = m.groups()
        first, last = _SEASONS[season]
        if which in (None, "this"):
            return f"{start.year:04d}"
        if precision == "year" or season == "winter":
            return None
        if which in ("last", "past"):
            return f"{start.year if start.month > last else start.year - 1:04d}"
        return f"{start.year if start.month < first else start.year + 1:04d}"
    m = re.fullmatch(r"(?:(last|this|next|this coming|this past) )?(" + "|".join(_WEEKDAYS) + ")", s)
    if m:
        if precision != "day":
            return None
        back = (start.weekday() - _WEEKDAYS[m.group(2)]) % 7
        if m.group(1) in ("next", "this coming"):
            return (start + timedelta(days=(7 - back) % 7 or 7)).isoformat()
        return (start - timedelta(days=back)).isoformat()
    return None


def normalize_date(text: str, anchor: str | None) -> str | None:
    """ISO 8601 value of a DATE span's text, as precise as the text allows, or None.

    ``anchor`` is the document's publication date (``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD``); relative forms and dates without a year resolve against
    it. Raises ValueError for a malformed anchor. Decisions per form are in
    the module docstring.
    """
    anchor_date = parse_iso(anchor) if anchor is not None else None
    s = _date_key(text)
    if not s or s in _ANAPHORIC or _VAGUE_FUTURE.fullmatch(s):
        return None
    if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", s):
        try:
            parse_iso(s)
        except ValueError:
            return None
        return s
    if re.fullmatch(r"(?:(?:early|late|mid)[ -])?(?:\d{3}0|'\d0)'?s", s):
        return None
    m = re.fullmatch(_YEAR_PART + _Y, s)
    if m:
        return _iso(int(m.group(1)))
    m = re.fullmatch(_WD + _M + " " + _D + ",? " + _Y, s) or re.fullmatch(_WD + r"(?:the )?" + _D + r" (?:of )?"
                                                                         + _M + ",? " + _Y, s)
    if m:
        g = m.groups()
        month, day = (g[1], g[2]) if g[1] in _MONTHS else (g[2], g[1])
        return _iso(int(g[3]), _MONTHS[month], int(day))
    m = re.fullmatch(_WD + _M + " " + _D, s) or re.fullmatch(_WD + r"(?:the )?" + _D + r" (?:of )?" + _M, s)
    if m:
        wd, a, b = m.groups()
        month, day = (_MONTHS[a], int(b)) if a in _MONTHS else (_MONTHS[b], int(a))
        year = _year_for(month, anchor_date, day, _WEEKDAYS[wd] if wd else None)
        return None if year is None else _iso(year, month, day)
    m = (re.fullmatch(_M + " " + r"(\d{1,2})\s*-\s*(\d{1,2})(?:,? " + _Y + ")?", s)
         or re.fullmatch(r"(\d{1,2})\s*-\s*(\d{1,2}) " + _M + "(?:,? " + _Y + ")?", s))
    if m:
        g = m.groups()
        month, d1, d2 = (g[0], g[1], g[2]) if g[0] in _MONTHS else (g[2], g[0], g[1])
        month = _MONTHS[month]
        year = int(g[3]) if g[3] else _year_for(month, anchor_date)
        if year is None or _iso(year, month, int(d1)) is None or _iso(year, month, int(d2)) is None \
                or int(d1) > int(d2):
            return None
        return _iso(year, month)
    m = re.fullmatch(_PART + _M + "(?:,? (?:of )?" + _Y + ")?", s)
    if m:
        month = _MONTHS[m.group(1)]
        year = int(m.group(2)) if m.group(2) else _year_for(month, anchor_date)
        return None if year is None else _iso(year, month)
    return _relative(s, anchor_date)
