"""The Hub release: croissant.json validated and read by mlcroissant, the code-free folder loaded by
`datasets` under an unlucky name, the card parsed by huggingface_hub and matched against the data.

All offline and with the real libraries.
"""
import hashlib
import json

import pytest

from corpus.build import StaleBuildError, build, check
from corpus.dataset import CONFIGS, SPLIT
from corpus.labels import LABELS, TAGS
from corpus.paths import CORPUS_DIR, ROOT
from corpus.release import NAMES, ReleaseError, release_files, write_release
from corpus.version import current_version, is_release


@pytest.fixture(scope="module")
def offline():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_DATASETS_OFFLINE", "1")
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield
    mp.undo()


@pytest.fixture(scope="module")
def release(tmp_path_factory, offline):
    """The release folder, written under a name `datasets` used to take for a script (validate.py)."""
    out = tmp_path_factory.mktemp("rel") / "validate"
    write_release(out)
    return out


@pytest.fixture(scope="module")
def loaded(release, tmp_path_factory):
    """Both configs as `datasets` loads them from the release folder, with the sizes it computes."""
    import datasets

    out = {}
    for config in CONFIGS:
        builder = datasets.load_dataset_builder(str(release), config,
                                                cache_dir=str(tmp_path_factory.mktemp("hf-cache")))
        builder.download_and_prepare()
        out[config] = builder.as_dataset(split=SPLIT)
    return out


def test_release_folder_holds_the_dataset_and_no_code(release):
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert not [n for n in names if n.endswith((".py", ".pyc"))]
    assert sorted({n.split("/")[0] for n in names}) == sorted(NAMES)
    assert {n: (release / n).read_bytes() for n in names} == release_files()
    assert (release / "README.md").read_bytes() == (CORPUS_DIR / "README.md").read_bytes()


def test_release_folder_loads_with_datasets_under_a_script_like_name(loaded, release):
    import datasets

    assert (CORPUS_DIR / "validate.py").exists(), "the name is unlucky because corpus/ has validate.py"
    sents = datasets.load_dataset(str(release), split=SPLIT, cache_dir=str(release.parent / "c"))
    assert sents.features["ner_tags"].feature.names == list(TAGS)
    assert sents.num_rows == loaded["sentences"].num_rows == 101
    docs = loaded["documents"]
    assert docs.num_rows == 5 and docs.features["spans"].feature["label"].names == list(LABELS)
    assert str(docs.info.version) == current_version() if is_release(current_version()) else str(docs.info.version) == "0.0.0"


def test_card_parses_and_its_metadata_matches_the_data(release, loaded):
    from datasets import Features
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(release / "README.md")
    meta = card.data.to_dict()
    for key in ("annotations_creators", "language_creators", "source_datasets", "license_link"):
        assert meta.get(key), key
    assert "license_details" not in meta
    assert (release / meta["license_link"]).is_file()
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    for config_meta in meta["configs"]:
        (files,) = config_meta["data_files"]
        assert files["split"] == SPLIT and len(list(release.glob(files["path"]))) == 1
    for info in meta["dataset_info"]:
        ds = loaded[info["config_name"]]
        assert Features._from_yaml_list(info["features"]) == ds.features
        (split,) = info["splits"]
        assert split["num_examples"] == ds.num_rows
        assert split["num_bytes"] == ds.info.splits[SPLIT].num_bytes, "num_bytes is what `datasets` computes"
    for heading in ("## Uses", "### Out-of-Scope Use", "## Bias, Risks, and Limitations",
                    "#### Personal and Sensitive Information", "## Citation", "```bibtex\n@misc{"):
        assert heading in card.text


def test_croissant_validates_and_mlcroissant_reads_every_record(release, loaded):
    import mlcroissant as mlc

    meta = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    for f in meta["distribution"]:
        assert hashlib.sha256((release / f["contentUrl"]).read_bytes()).hexdigest() == f["sha256"]
    dataset = mlc.Dataset(str(release / "croissant.json"))  # raises on any validation error
    assert not dataset.metadata.issues.errors and not dataset.metadata.issues.warnings
    assert dataset.metadata.version == current_version()
    assert {k for k in meta if k.startswith("rai:")} >= {
        "rai:dataCollection", "rai:dataAnnotationProtocol", "rai:dataLimitations", "rai:dataBiases",
        "rai:personalSensitiveInformation", "rai:dataUseCases", "rai:dataReleaseMaintenancePlan"}
    assert "model annotator" in meta["rai:dataAnnotationProtocol"].replace("language-model", "model")
    assert [r["ner_tags/name"] for r in dataset.records("ner_tags")] == list(TAGS)
    assert [r["span_labels/name"] for r in dataset.records("span_labels")] == list(LABELS)

    sentences = list(dataset.records("sentences"))
    assert len(sentences) == 101
    assert [list(r["sentences/ner_tags"]) for r in sentences] == loaded["sentences"]["ner_tags"]
    documents = list(dataset.records("documents"))
    assert len(documents) == 5
    for record, row in zip(documents, loaded["documents"]):
        spans = record["documents/spans"]
        assert record["documents/doc_id"].decode() == row["doc_id"]
        assert [s.decode() for s in spans["documents/spans/text"]] == [s["text"] for s in row["spans"]]
        assert [int(x) for x in spans["documents/spans/start"]] == [s["start"] for s in row["spans"]]
        assert [int(x) for x in spans["documents/spans/label"]] == [s["label"] for s in row["spans"]]
        claims = record["documents/claims"]
        assert [c.decode() for c in claims["documents/claims/quantity"]] == [c["quantity"] for c in row["claims"]]


def test_release_refuses_a_folder_holding_other_files_and_replaces_its_own(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"--out .*out holds notes.txt, which a release does not"):
        write_release(out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"], "nothing written, nothing removed"
    (out / "notes.txt").unlink()
    write_release(out)
    (out / "data" / "stale.parquet").write_bytes(b"old")
    write_release(out)
    assert not (out / "data" / "stale.parquet").exists() and sorted(p.name for p in out.iterdir()) == sorted(NAMES)


def test_check_covers_croissant_and_the_release(sources, tmp_path):
    import shutil

    seeds, gold, corpus = sources
    build(corpus, seeds_dir=seeds, gold_dir=gold, bump="major", message="first", today="2026-01-01")
    root = tmp_path / "root"
    root.mkdir()
    for name in ("LICENSE", "NOTICE"):
        shutil.copy(ROOT / name, root / name)
    check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
    meta = json.loads((corpus / "croissant.json").read_text(encoding="utf-8"))
    assert meta["version"] == "1.0.0" and meta["datePublished"] == "2026-01-01"
    (root / "NOTICE").unlink()
    with pytest.raises(ReleaseError, match=r"cannot assemble a release: missing .*NOTICE"):
        check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
    (corpus / "croissant.json").write_text(json.dumps({**meta, "version": "9.9.9"}), encoding="utf-8")
    with pytest.raises(StaleBuildError, match="croissant.json differs"):
        check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
