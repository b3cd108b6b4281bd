"""Claim targets (what a number counts) and the claims ledger: the contract, oracles, bad input."""
import json
import re
import shutil
from pathlib import Path

import pytest

from corpus.labels import TARGET_NAMES, TARGETS
from corpus.normalize import normalize_quantity
from corpus.paths import GOLD_DIR
from eval import sources
from harness_fixtures import seeds_main as main  # written from the seed texts: the validation split
from eval.goldset import load_goldset
from eval.ledger import bounds_of, compare, ledger, marks, plot, render_csv, render_markdown
from eval.score import evaluate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gold():
    return load_goldset(split="validation")  # the seeds: the tests below are written from them


def _predictions_file(path: Path, docs, change=None) -> Path:
    """The gold as an offsets predictions file; ``change(doc_id, claim) -> claim`` edits claims on the way."""
    lines = []
    for doc_id, doc in docs.items():
        claims = [(change(doc_id, c) if change else c).to_json() for c in doc.claims]
        lines.append(json.dumps({"doc_id": doc_id, "spans": [s.to_json() for s in doc.spans], "claims": claims}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the contract


def test_the_vocabulary_is_the_contract_table_in_order():
    table = re.findall(r"^\| (\d+) \| `([a-z_]+)` \|", (ROOT / "annotation" / "LABELS.md").read_text(), re.M)
    assert [(int(i), n) for i, n in table] == list(enumerate(TARGET_NAMES))
    assert len(TARGET_NAMES) <= 12


def test_every_target_has_a_seed_claim_or_a_worked_example_that_parses(gold):
    block = re.search(r"```targets\n(.*?)```", (ROOT / "annotation" / "GUIDELINES.md").read_text(), re.S)[1]
    examples = [json.loads(line) for line in block.splitlines() if line.strip()]
    for ex in examples:
        assert set(ex) == {"text", "quantity", "target"}
        assert ex["quantity"] in ex["text"], ex
        assert ex["target"] in TARGETS, ex
        assert normalize_quantity(ex["quantity"]) is not None, ex
    in_seeds = {c.target for d in gold.documents.values() for c in d.claims}
    assert in_seeds | {ex["target"] for ex in examples} == set(TARGET_NAMES)
    assert {"personnel_deployed", "personnel_planned", "killed", "materiel", "other"} <= in_seeds


def test_every_gold_claim_has_a_target_and_the_dataset_carries_it_as_a_classlabel(gold):
    from datasets import load_dataset

    docs = load_dataset(str(ROOT / "corpus"), "documents", split="validation")
    assert docs.features["claims"].feature["target"].names == list(TARGET_NAMES)
    loaded = [docs.features["claims"].feature["target"].int2str(c["target"]) for row in docs for c in row["claims"]]
    assert loaded == [c.target for d in sorted(gold.documents) for c in gold.documents[d].claims]


# ---------------------------------------------------------------- oracles


def test_gold_as_predictions_has_target_accuracy_one_and_one_changed_target_costs_one_claim(gold, tmp_path):
    perfect = evaluate(sources.from_predictions(str(_predictions_file(tmp_path / "p.jsonl", gold.documents))),
                       gold)["scores"]["claims"]["summary"]
    assert perfect["target_accuracy"] == 1.0 and perfect["full_f1"] == 1.0
    first = sorted(gold.documents)[0]
    victim = gold.documents[first].claims[0]
    wrong = next(t for t in TARGET_NAMES if t != victim.target)

    def change(doc_id, c):
        return c if (doc_id, c.id) != (first, victim.id) else type(c)(**{**c.to_row(), "target": wrong})

    changed = evaluate(sources.from_predictions(str(_predictions_file(tmp_path / "q.jsonl", gold.documents,
                                                                      change))), gold)["scores"]["claims"]["summary"]
    n = perfect["gold"]
    assert (changed["matched"], changed["full"]) == (n, n - 1)
    assert changed["target_accuracy"] == (n - 1) / n
    assert (changed["source_accuracy"], changed["value_accuracy"]) == (1.0, 1.0)


def test_the_gold_ledger_comes_back_exactly_from_the_gold_as_predictions(gold):
    alone = ledger(gold.documents, bounds_of(gold.sentences))
    g, p = compare(gold.documents, gold.documents, bounds_of(gold.sentences))
    assert g == alone and p == alone
    assert all(e.status == "" for e in alone)
    assert len(alone) == sum(len(d.claims) for d in gold.documents.values())


def test_a_missed_and_an_invented_claim_are_marked(gold):
    first = sorted(gold.documents)[0]
    doc = gold.documents[first]
    dropped = doc.claims[0]
    quantity = doc.span_by_id()[dropped.quantity]
    # The prediction loses one claim, and invents one on a span the gold has no claim on.
    extra = type(quantity)(0, 5, "QUANTITY", doc.text[:5], "P99")
    invented = type(dropped)("C99", "P99", target="other")
    pred = type(doc)(doc.id, doc.text, (*doc.spans, extra), (*doc.claims[1:], invented), doc.published)
    g, p = compare(gold.documents, {**gold.documents, first: pred}, bounds_of(gold.sentences))
    assert [(e.doc_id, e.claim) for e in g if e.status == "missed"] == [(first, dropped.id)]
    assert [(e.doc_id, e.claim) for e in p if e.status == "invented"] == [(first, "C99")]
    assert quantity.text in render_markdown({"gold": g}) and "| missed |" in render_markdown({"gold": g})


# The seeds' `killed` ledger, written by reading the five articles (annotation/gold, GUIDELINES.md §5.6):
# Ukrainian intelligence sources dated the Donetsk strike 3 October (2024-10-03); the Kyiv Post reported it
# on October 4; the 600 killed of 001 carry no date. Columns: ISO date, range, quantity, source, date, doc, claim.
KILLED = [
    ("2024-10-03", "20", "20", "Ukrainian intelligence sources", "3 October", "003_206cb29126b89878", "C4"),
    ("2024-10-03", "6", "six", "Ukrainian intelligence sources", "3 October", "003_206cb29126b89878", "C5"),
    ("2024-10-04", "20", "20", "Kyiv Post", "October 4", "004_cfacce3046a14ca6", "C6"),
    ("2024-10-04", "6", "six", "Kyiv Post", "October 4", "004_cfacce3046a14ca6", "C7"),
    ("", "~600", "About 600", "Ukrainian and South Korean intelligence", "", "001_cf8ed6a483aff6fd", "C5"),
]


def test_the_killed_ledger_of_the_seeds_equals_the_hand_written_table(gold, tmp_path):
    rows = ledger(gold.documents, bounds_of(gold.sentences), ["killed"])
    keys = ("date_value", "range", "quantity", "source", "date", "doc_id", "claim")
    assert [tuple(e.cells()[k] for k in keys) for e in rows] == KILLED
    md = render_markdown({"gold": rows})
    assert "## killed: 5 claim(s), 1 without a date value" in md
    assert md.index("Without a date value") < md.index("About 600")  # undated claims are listed apart
    lines = render_csv({"gold": rows}).splitlines()
    assert len(lines) == 1 + len(KILLED) and lines[1].startswith("gold,killed,2024-10-03,20,20,")


def test_the_picture_has_one_mark_per_dated_claim_and_a_panel_per_target(gold):
    rows = ledger(gold.documents, bounds_of(gold.sentences))
    fig = plot({"gold": rows})
    assert marks(fig) == sum(1 for e in rows if e.date_value)
    assert [ax.get_title(loc="left") for ax in fig.axes] == [t for t in TARGET_NAMES if any(e.target == t for e in rows)]
    g, p = compare(gold.documents, gold.documents, bounds_of(gold.sentences), ["personnel_deployed"])
    both = plot({"gold": g, "predicted": p})
    assert marks(both) == 2 * sum(1 for e in g if e.date_value) and len(both.axes) == 2


def test_the_ledger_command_writes_its_four_files_and_the_comparison(tmp_path, capsys):
    assert main(["ledger", "--target", "personnel_deployed", "--out", str(tmp_path / "g")]) == 0
    assert sorted(p.name for p in (tmp_path / "g").iterdir()) == ["ledger.csv", "ledger.html", "ledger.md",
                                                                 "ledger.png"]
    html = (tmp_path / "g" / "ledger.html").read_text()
    assert '<mark class="q">11,000</mark>' in html and "personnel_planned" not in html
    out = capsys.readouterr().out
    assert main(["ledger", "--extractor", "regex.v1", "--out", str(tmp_path / "p")]) == 0
    assert "missed" in capsys.readouterr().out and "# predicted (regex.v1)" in (tmp_path / "p" / "ledger.md").read_text()
    assert "13 claim(s) in 1 ledger(s)" in out


# ---------------------------------------------------------------- bad input


def _gold_copy(tmp_path, edit) -> Path:
    """A scratch gold folder whose first claim line of document 000 is rewritten by ``edit(record)``."""
    folder = tmp_path / "gold"
    shutil.copytree(GOLD_DIR, folder)
    path = folder / "000_88c46dc548cd37de.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if '"kind": "claim"' in line)
    record = json.loads(lines[i])
    lines[i] = json.dumps(edit(record), ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, f"{path}:{i + 1}"


@pytest.mark.parametrize("edit, message", [
    (lambda r: {**r, "target": "troops"}, "target must be one of personnel_deployed,"),
    (lambda r: {k: v for k, v in r.items() if k != "target"}, "missing ['target']"),
    (lambda r: {**r, "target": None}, "target is missing; every claim needs one of: personnel_deployed"),
])
def test_a_bad_gold_target_is_one_line_naming_file_line_and_field(tmp_path, capsys, edit, message):
    folder, where = _gold_copy(tmp_path, edit)
    assert main(["validate", "--gold-dir", str(folder)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and where in err and message in err, err


def test_a_target_on_a_span_is_refused(tmp_path, capsys):
    folder = tmp_path / "gold"
    shutil.copytree(GOLD_DIR, folder)
    path = folder / "000_88c46dc548cd37de.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = json.dumps({**json.loads(lines[1]), "target": "killed"})
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--gold-dir", str(folder)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{path}:2" in err and "unexpected ['target']" in err


@pytest.mark.parametrize("fmt", ["jsonl", "mentions"])
def test_an_unknown_predicted_target_is_one_line_and_nothing_is_written(gold, tmp_path, capsys, fmt):
    docs = gold.documents
    first = sorted(docs)[0]
    if fmt == "jsonl":
        path = _predictions_file(tmp_path / "p.jsonl", docs)
        lines = path.read_text().splitlines()
        record = json.loads(lines[0])
        record["claims"][0]["target"] = "deployed"
    else:
        path = tmp_path / "m.jsonl"
        lines = [json.dumps({"doc_id": d, "mentions": []}) for d in sorted(docs)]
        record = {"doc_id": first, "mentions": [], "claims": [{"quantity": "11,000", "target": "deployed"}]}
    lines[0] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["score", "--predictions", str(path), "--format", fmt, "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{path}:1" in err and "target 'deployed' is not in the vocabulary" in err
    assert not out.exists()


def test_an_unknown_ledger_target_is_a_usage_error_and_writes_nothing(tmp_path, capsys):
    assert main(["ledger", "--target", "troops", "--out", str(tmp_path / "l")]) == 2
    assert "allowed: personnel_deployed" in capsys.readouterr().err
    assert not (tmp_path / "l").exists()


def test_the_readme_ledger_is_the_generated_one(gold):
    """eval/ledger-seeds/ (the README's picture) is what `make leaderboard` writes: run it after a gold change."""
    rows = ledger(gold.documents, bounds_of(gold.sentences), ["personnel_deployed"])
    assert (ROOT / "eval" / "ledger-seeds" / "ledger.md").read_text(encoding="utf-8") == render_markdown({"gold": rows})
    assert (ROOT / "eval" / "ledger-seeds" / "ledger.csv").read_text(encoding="utf-8") == render_csv({"gold": rows})
