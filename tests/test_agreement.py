"""Agreement between annotation passes: span and claim comparison on real gold files."""
import dataclasses

from annotation.agreement import agreement, claim_agreement, disagreements, read_passes
from corpus.gold import read_gold, write_gold
from corpus.paths import GOLD_DIR

DOC = "003_206cb29126b89878"


def _second_pass(tmp_path, texts, gold_dir):
    """A copy of the seeds' gold with one boundary moved, one span dropped and one claim value changed."""
    docs = read_gold(texts, gold_dir)
    doc = docs[DOC]
    official = next(s for s in doc.spans if s.text == "Ukrainian military intelligence official")  # the first
    kremlin = next(s for s in doc.spans if s.text == "Kremlin")
    wider = dataclasses.replace(official, start=official.start - 2, text=doc.text[official.start - 2:official.end])
    spans = [wider if s is official else s for s in doc.spans if s is not kremlin]
    claims = [dataclasses.replace(c, high=None) if c.low == 3000 else c for c in doc.claims]
    docs[DOC] = dataclasses.replace(doc, spans=tuple(sorted(spans)), claims=tuple(claims))
    out = tmp_path / "b"
    write_gold(docs.values(), out)
    return out


def test_a_pass_agrees_with_itself_completely():
    from corpus.build import load_documents

    docs = load_documents()
    passes = read_passes(GOLD_DIR, GOLD_DIR)
    total, _ = agreement(passes)
    assert total.overall["strict"].f1 == 1.0 and total.overall["strict"].correct == sum(len(d.spans) for d in docs)
    n, same, fields, lines = claim_agreement(passes)
    claims = sum(len(d.claims) for d in docs)
    assert (n, same, sum(fields.values()), lines) == (claims, claims, 0, [])
    assert disagreements(passes) == []


def test_boundary_miss_and_claim_value_differences_are_counted(tmp_path, texts, sources):
    _, gold_dir, _ = sources  # the seeds' gold
    passes = read_passes(gold_dir, _second_pass(tmp_path, texts, gold_dir))
    total, per_doc = agreement(passes)
    attribution = total.labels["ATTRIBUTION"]
    assert attribution["strict"].missed == 1  # Kremlin
    assert attribution["ent_type"].correct - attribution["strict"].correct == 1  # the widened official
    assert per_doc["000_88c46dc548cd37de"].overall["strict"].f1 == 1.0
    lines = disagreements(passes)
    assert len(lines) == 2 and any("'Kremlin'" in line and "missed" in line for line in lines)
    n, same, fields, claim_lines = claim_agreement(passes)
    # "several thousand" lost its high bound, and its source span moved: one claim, two fields.
    assert (n, same, dict(fields)) == (47, 46, {"high": 1, "source": 1})
    assert all(line.startswith(DOC) and "'several thousand'" in line for line in claim_lines)
