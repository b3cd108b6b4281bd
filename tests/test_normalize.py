"""Normalized QUANTITY and DATE values: every form in the seeds, plus forms the seeds lack."""
import subprocess
import sys

import pytest

from corpus.normalize import (Quantity, is_anaphoric_date, iso_matches, normalize_date, normalize_quantity,
                              parse_iso, resolve_anaphoric_date)

# Publication months assumed for the seeds here (each is the latest month the article's own dates point to);
# the tests fix the normalizer's behaviour for a given anchor, not the gold's anchors.
ANCHOR = {"000": "2025-06", "001": "2025-06", "002": "2024-10", "003": "2024-10", "004": "2024-11"}


def Q(low, high, approximate=False):
    return Quantity(low, high, approximate)


# (document, span text as it stands in the seed, expected)
SEED_QUANTITIES = [
    ("000", "25-30 thousand", Q(25000, 30000)),
    ("000", "11,000", Q(11000, 11000)),
    ("000", "approximately 4,000", Q(4000, 4000, True)),
    ("000", "70 km", Q(70, 70)),
    ("000", "30,000", Q(30000, 30000)),
    ("000", "10-20 thousand", Q(10000, 20000)),
    ("000", "1,000", Q(1000, 1000)),
    ("000", "5,000", Q(5000, 5000)),
    ("001", "nearly 12,000", Q(12000, 12000, True)),
    ("001", "thousands", Q(2000, None, True)),
    ("001", "about 50,000", Q(50000, 50000, True)),
    ("001", "About 600", Q(600, 600, True)),
    ("001", "some 12,000", Q(12000, 12000, True)),
    ("001", "two", Q(2, 2)),
    ("002", "up to 12,000", Q(None, 12000)),
    ("002", "500", Q(500, 500)),
    ("002", "three", Q(3, 3)),
    ("002", "around 10,000", Q(10000, 10000, True)),
    ("002", "one", Q(1, 1)),
    ("002", "30", Q(30, 30)),
    ("003", "several thousand", Q(3000, 9000, True)),
    ("003", "over 1.5 million", Q(1500000, None)),
    ("003", "20", Q(20, 20)),
    ("003", "six", Q(6, 6)),
    ("003", "at least 20", Q(20, None)),
    ("004", "up to 100,000", Q(None, 100000)),
    ("004", "about 15,000", Q(15000, 15000, True)),
    ("004", "10,000", Q(10000, 10000)),
    ("004", "2,600", Q(2600, 2600)),
    ("004", "up to 10,000", Q(None, 10000)),
    ("004", "up to 8,000", Q(None, 8000)),
    ("004", "thousand", Q(1000, 1000)),
    ("004", "over 7,000", Q(7000, None)),
]

OTHER_QUANTITIES = [
    ("1.5 million", Q(1500000, 1500000)),
    ("1.1 million", Q(1100000, 1100000)),
    ("more than 7,000", Q(7000, None)),
    ("5%", Q(5, 5)),
    ("5.5%", Q(5.5, 5.5)),
    ("5 percent", Q(5, 5)),
    ("dozens", Q(24, None, True)),
    ("hundreds", Q(200, None, True)),
    ("tens of thousands", Q(20000, None, True)),
    ("hundreds of thousands", Q(200000, None, True)),
    ("a dozen", Q(12, 12)),
    ("two dozen", Q(24, 24)),
    ("two thousand", Q(2000, 2000)),
    ("twenty", Q(20, 20)),
    ("thirty", Q(30, 30)),
    ("hundred", Q(100, 100)),
    ("a hundred", Q(100, 100)),
    ("twenty-five thousand", Q(25000, 25000)),
    ("one hundred and fifty", Q(150, 150)),
    ("half a million", Q(500000, 500000)),
    ("25–30 thousand", Q(25000, 30000)),
    ("25 — 30 thousand", Q(25000, 30000)),
    ("10 to 20 thousand", Q(10000, 20000)),
    ("two or three thousand", Q(2000, 3000)),
    ("twenty-five to thirty thousand", Q(25000, 30000)),
    ("between 10,000 and 12,000", Q(10000, 12000)),
    ("from 10,000 to 12,000", Q(10000, 12000)),
    ("between 500 and 2 thousand", Q(500, 2000)),
    ("about 25-30 thousand", Q(25000, 30000, True)),
    ("up to 25-30 thousand", Q(None, 30000)),
    ("several hundred", Q(300, 900, True)),
    ("a few thousand", Q(2000, 5000, True)),
    ("10,000+", Q(10000, None)),
    ("~10,000", Q(10000, 10000, True)),
    ("less than 100", Q(None, 100)),
    ("fewer than 100", Q(None, 100)),
    ("as many as 12,000", Q(None, 12000)),
    ("almost 12,000", Q(12000, 12000, True)),
    ("roughly 4,000", Q(4000, 4000, True)),
    ("an estimated 4,000", Q(4000, 4000, True)),
    ("no fewer than 20", Q(20, None)),
    ("“several thousand”", Q(3000, 9000, True)),  # quotes an extractor may leave on
    ("  11,000. ", Q(11000, 11000)),
    ("11,000 North Korean soldiers", Q(11000, 11000)),  # counted noun ignored
    ("thousands more", Q(2000, None, True)),
    ("70km", Q(70, 70)),
    ("0", Q(0, 0)),
]

UNREADABLE_QUANTITIES = ["", "   ", "hello", "first", "second", "G20", "IL-76", "-5", "−5", "30-25", "1,2345",
                         "11,00", "five five", "twenty thirty", "and", "more", "11,000 soldiers and 500 officers",
                         "a", "up to", "between 10 and"]


@pytest.mark.parametrize("doc,text,expected", SEED_QUANTITIES, ids=[f"{d}:{t}" for d, t, _ in SEED_QUANTITIES])
def test_seed_quantity_forms(texts, doc, text, expected):
    assert any(k.startswith(doc) and text in v for k, v in texts.items()), f"{text!r} is not in seed {doc}"
    assert normalize_quantity(text) == expected


@pytest.mark.parametrize("text,expected", OTHER_QUANTITIES, ids=[t for t, _ in OTHER_QUANTITIES])
def test_other_quantity_forms(text, expected):
    assert normalize_quantity(text) == expected


@pytest.mark.parametrize("text", UNREADABLE_QUANTITIES)
def test_unreadable_quantities_are_none(text):
    assert normalize_quantity(text) is None


@pytest.mark.parametrize("text,kind", [("11,000", int), ("1.5 million", int), ("5.5%", float), ("thousands", int)])
def test_whole_values_are_int_others_float(text, kind):
    assert type(normalize_quantity(text).low) is kind


# (document, span text as it stands in the seed, expected with the document's assumed anchor)
SEED_DATES = [
    ("000", "coming months", None),
    ("000", "November", "2024-11"),  # "sent in November": five months after June is last year's
    ("000", "May 18", "2025-05-18"),
    ("000", "June 4", "2025-06-04"),
    ("000", "fall of 2024", "2024"),
    ("000", "end of April", "2025-04"),
    ("000", "June 17", "2025-06-17"),
    ("001", "earlier this year", "2025"),
    ("001", "last year", "2024"),
    ("001", "last week", "2025-06"),
    ("001", "July", "2025-07"),  # "in July or August", written in June: the coming ones
    ("001", "August", "2025-08"),
    ("001", "next two months", None),
    ("001", "summer", "2025"),
    ("001", "last summer", "2024"),
    ("001", "2022", "2022"),
    ("001", "Monday", None),
    ("002", "August", "2024-08"),
    ("002", "October 29, 2024", "2024-10-29"),
    ("002", "coming weeks", None),
    ("002", "June", "2024-06"),
    ("003", "year’s end", "2024"),
    ("003", "1970s", None),
    ("003", "1980s", None),
    ("003", "June 2024", "2024-06"),
    ("003", "3 October", "2024-10-03"),
    ("003", "early 2024", "2024"),
    ("004", "Tuesday, November 19", "2024-11-19"),
    ("004", "Saturday, November 16", "2024-11-16"),
    ("004", "October 4", "2024-10-04"),
    ("004", "October 8", "2024-10-08"),
    ("004", "October 17", "2024-10-17"),
    ("004", "October 23", "2024-10-23"),
    ("004", "October 27-28", "2024-10"),
    ("004", "October 25", "2024-10-25"),
    ("004", "October 28", "2024-10-28"),
    ("004", "October 31", "2024-10-31"),
    ("004", "same day", None),
    ("004", "November 1", "2024-11-01"),
    ("004", "last week of October", "2024-10"),
]

OTHER_DATES = [
    # absolute forms need no anchor
    ("October 29, 2024", None, "2024-10-29"),
    ("29 October 2024", None, "2024-10-29"),
    ("29th of October, 2024", None, "2024-10-29"),
    ("Oct. 29, 2024", None, "2024-10-29"),
    ("Tuesday, November 19, 2024", None, "2024-11-19"),
    ("June 2024", None, "2024-06"),
    ("early June 2024", None, "2024-06"),
    ("2022", None, "2022"),
    ("mid-2024", None, "2024"),
    ("the end of 2024", None, "2024"),
    ("summer of 2024", None, "2024"),
    ("the fall of 2024", None, "2024"),
    ("in the fall of 2024", None, "2024"),  # a preposition an extractor left on
    ("2024-10-31", None, "2024-10-31"),
    ("October 27-28, 2024", None, "2024-10"),
    ("27-28 October", "2024-11", "2024-10"),
    ("October 27–28", "2024-11", "2024-10"),
    # the anchor supplies the year, and nothing else does
    ("3 October", None, None),
    ("June", None, None),
    ("last week", None, None),
    ("earlier this year", None, None),
    ("3 October", "2024", "2024-10-03"),
    ("3 October", "2024-10-05", "2024-10-03"),
    ("January", "2024-11", "2025-01"),  # two months ahead, across the year end
    ("February", "2024-11", "2024-02"),  # three months ahead: the past one
    ("December", "2025-01", "2024-12"),
    ("mid-October", "2024-11", "2024-10"),
    ("the first week of October", "2024-11", "2024-10"),
    ("Tuesday, November 19", "2025-11", "2024-11-19"),  # 2025-11-19 is a Wednesday
    ("Tuesday, November 19", "2024", "2024-11-19"),
    # relative forms
    ("this year", "2024-10", "2024"),
    ("next year", "2024-10", "2025"),
    ("by year's end", "2024-10", "2024"),
    ("the end of the year", "2024", "2024"),
    ("this month", "2024-11", "2024-11"),
    ("last month", "2025-01", "2024-12"),
    ("last month", "2025", None),
    ("last week", "2024-11-18", "2024-11"),
    ("last week", "2024-11-03", "2024-10"),  # the week of Oct 21-27
    ("last week", "2024", "2024"),
    ("yesterday", "2024-11-01", "2024-10-31"),
    ("today", "2024-11", "2024-11"),
    ("Monday", "2024-11-20", "2024-11-18"),
    ("Monday", "2024-11-18", "2024-11-18"),
    ("next Monday", "2024-11-18", "2024-11-25"),
    ("Monday", "2024", None),
    ("last summer", "2024-10", "2024"),
    ("last summer", "2024", None),
    ("next summer", "2025-03", "2025"),
    ("last winter", "2025-03", None),
    ("summer", None, None),
    ("coming days", "2024-11", None),
    ("the next few weeks", "2024-11", None),
    ("the near future", "2024-11", None),
    # decades, anaphora, garbage
    ("the 1970s", "2024", None),
    ("'70s", "2024", None),
    ("the same day", "2024-11", None),
    ("February 30", "2024-11", None),
    ("October 31-30", "2024-11", None),
    ("2024-13", None, None),
    ("hello", "2024-11", None),
    ("", "2024-11", None),
    ("now", "2024-11", None),
    ("two weeks", "2024-11", None),
]


@pytest.mark.parametrize("doc,text,expected", SEED_DATES, ids=[f"{d}:{t}" for d, t, _ in SEED_DATES])
def test_seed_date_forms(texts, doc, text, expected):
    assert any(k.startswith(doc) and text in v for k, v in texts.items()), f"{text!r} is not in seed {doc}"
    assert normalize_date(text, ANCHOR[doc]) == expected


@pytest.mark.parametrize("text,anchor,expected", OTHER_DATES, ids=[f"{t}@{a}" for t, a, _ in OTHER_DATES])
def test_other_date_forms(text, anchor, expected):
    assert normalize_date(text, anchor) == expected


@pytest.mark.parametrize("anchor", ["2024-1", "24", "2024-10-32", "October 2024", ""])
def test_malformed_anchor_is_refused_naming_it(anchor):
    with pytest.raises(ValueError, match="is not an ISO 8601 date"):
        normalize_date("3 October", anchor)


@pytest.mark.parametrize("value,expected", [
    ("2024", ("2024-01-01", "year")), ("2024-10", ("2024-10-01", "month")), ("2024-10-31", ("2024-10-31", "day"))])
def test_parse_iso(value, expected):
    start, precision = parse_iso(value)
    assert (start.isoformat(), precision) == expected


@pytest.mark.parametrize("pred,gold,expected", [
    ("2024-10-29", "2024-10", True), ("2024-10-29", "2024", True), ("2024-10", "2024-10", True),
    ("2024", "2024-10", False), ("2024-10", "2024-10-29", False), ("2024-11-29", "2024-10", False),
    ("2024-10-01", "2024-1", None), (None, None, True), (None, "2024", False), ("2024", None, False)])
def test_iso_matches_at_gold_precision(pred, gold, expected):
    if expected is None:
        with pytest.raises(ValueError, match="'2024-1'"):
            iso_matches(pred, gold)
    else:
        assert iso_matches(pred, gold) is expected


@pytest.mark.parametrize("text,antecedent,expected", [
    ("same day", "2024-10-31", "2024-10-31"), ("On the same day", "2024-10", "2024-10"),
    ("the next day", "2024-10-31", "2024-11-01"), ("the day before", "2024-11-01", "2024-10-31"),
    ("the next day", "2024-10", None), ("same day", None, None), ("October 31", "2024-10-30", None)])
def test_anaphoric_dates_take_their_antecedent(text, antecedent, expected):
    assert resolve_anaphoric_date(text, antecedent) == expected
    assert is_anaphoric_date(text) is (text != "October 31")


def test_import_is_light():
    code = "import sys, corpus.normalize; print(sorted({'spacy', 'datasets', 'pyarrow'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
