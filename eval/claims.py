"""Claim-level scoring (placeholder until the claim scorer lands)."""


def score_claims(gold_docs, preds) -> dict:
    return {}
