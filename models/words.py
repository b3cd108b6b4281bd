"""Reporting verbs: the one list the baselines share (finding sources, linking claims to them)."""

REPORTING_VERBS = frozenset(
    """said says say reported reports told tells warned warns warn confirmed
    confirms confirm claimed claims believes believe believed estimates
    estimated considers considered notes noted announced announces announce
    revealed reveals reveal suggested suggests suggest stated states added
    adds indicated indicates indicate explains explained""".split()
)
# Base forms that are too often nouns ("the report", "claims of") are left out
# of REPORTING_VERBS; the parser-based baselines compare lemmas instead.
REPORTING_LEMMAS = frozenset(
    """say report tell warn confirm claim believe estimate consider note
    announce reveal suggest state add indicate explain""".split()
)
# Linking a claim to a source already found may read those base forms as verbs
# ("officials report", "analysts estimate"), and a few more that never start a source.
LINKING_VERBS = REPORTING_VERBS | REPORTING_LEMMAS | frozenset(
    "assessed assesses assess wrote writes".split())
