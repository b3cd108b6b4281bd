"""The Hub release: croissant.json validated and read by mlcroissant, the code-free folder loaded by
`datasets` under an unlucky name, the card parsed by huggingface_hub and matched against the data.

All offline and with the real libraries.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from corpus.build import StaleBuildError, build, check
from corpus.build import load_documents
from corpus.dataset import CONFIGS, DEFAULT_SPLIT, SPLITS
from corpus.provenance import read_provenance
from corpus.labels import LABELS, TAGS
from corpus.paths import CORPUS_DIR, ROOT
from corpus.release import FROM_ROOT, NAMES, ReleaseError, release_files, write_release
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
        out[config] = builder.as_dataset()  # every split
    return out


@pytest.fixture(scope="module")
def documents_per_split():
    split_of = {d: p.split for d, p in read_provenance().items()}
    docs = load_documents()
    return {s: [d for d in docs if split_of[d.id] == s] for s in SPLITS}


def test_release_folder_holds_the_dataset_and_no_code(release):
    names = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    assert not [n for n in names if n.endswith((".py", ".pyc"))]
    assert sorted({n.split("/")[0] for n in names}) == sorted(NAMES)
    assert {n: (release / n).read_bytes() for n in names} == release_files()
    assert (release / "README.md").read_bytes() == (CORPUS_DIR / "README.md").read_bytes()


def test_release_folder_loads_with_datasets_under_a_script_like_name(loaded, release, documents_per_split):
    import datasets

    assert (CORPUS_DIR / "validate.py").exists(), "the name is unlucky because corpus/ has validate.py"
    sents = datasets.load_dataset(str(release), split=DEFAULT_SPLIT, cache_dir=str(release.parent / "c"))
    assert sents.features["ner_tags"].feature.names == list(TAGS)
    assert sents.num_rows == loaded["sentences"][DEFAULT_SPLIT].num_rows
    assert list(loaded["sentences"]) == list(loaded["documents"]) == list(SPLITS)
    assert loaded["sentences"]["validation"].num_rows == 101, "the seeds' sentences, as in 1.x"
    for split in SPLITS:
        docs = loaded["documents"][split]
        assert docs["doc_id"] == [d.id for d in documents_per_split[split]]
        assert docs.features["spans"].feature["label"].names == list(LABELS)
    assert str(docs.info.version) == current_version() if is_release(current_version()) else str(docs.info.version) == "0.0.0"


def test_card_parses_and_its_metadata_matches_the_data(release, loaded):
    from datasets import Features
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(release / "README.md")
    meta = card.data.to_dict()
    for key in ("annotations_creators", "language_creators", "source_datasets", "license_link"):
        assert meta.get(key), key
    assert "license_details" not in meta
    assert meta["license_link"] in ("LICENSE", "LICENSE.md") and (release / meta["license_link"]).is_file()
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    for config_meta in meta["configs"]:
        assert [f["split"] for f in config_meta["data_files"]] == list(SPLITS)
        assert all(len(list(release.glob(f["path"]))) == 1 for f in config_meta["data_files"])
    for info in meta["dataset_info"]:
        dd = loaded[info["config_name"]]
        assert [s["name"] for s in info["splits"]] == list(SPLITS)
        for stated in info["splits"]:
            ds = dd[stated["name"]]
            assert Features._from_yaml_list(info["features"]) == ds.features
            assert stated["num_examples"] == ds.num_rows
            assert stated["num_bytes"] == ds.info.splits[stated["name"]].num_bytes, "what `datasets` computes"
        files = release.glob(f"data/{info['config_name']}/*.parquet")
        assert info["download_size"] == sum(f.stat().st_size for f in files) == ds.info.download_size
        flat = [f["name"] for f in info["features"] if "sequence" in f]
        assert "list" not in str([f for f in info["features"] if f["name"] in flat]), "flat lists are sequence:"
    template = ["## Dataset Details", "### Dataset Description", "### Dataset Sources", "## Uses", "### Direct Use",
                "### Out-of-Scope Use", "## Dataset Structure", "## Dataset Creation", "### Curation Rationale",
                "### Source Data", "#### Data Collection and Processing", "#### Who are the source data producers?",
                "### Annotations", "#### Annotation process", "#### Who are the annotators?",
                "#### Personal and Sensitive Information", "## Bias, Risks, and Limitations", "### Recommendations",
                "## Citation", "```bibtex\n@misc{", "**APA:**", "## Glossary", "## More Information",
                "## Dataset Card Authors", "## Dataset Card Contact", "### Social Impact", "#### How to evaluate",
                "#### Baseline scores"]
    assert [h for h in template if h not in card.text] == []
    assert "Unicode code points" in card.text and "Claude" in card.text


def test_every_file_or_link_the_card_names_is_in_the_release_or_absolute(release):
    text = (release / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", text) + re.findall(r"<(https?://[^>]+)>", text)
    targets += [m for m in re.findall(r"`([A-Za-z_]+\.(?:md|jsonl|json))`", text)]
    assert "LABELS.md" in targets and "PROVENANCE.jsonl" in targets
    missing = [t for t in targets if not t.startswith(("https://", "http://", "#")) and not (release / t).is_file()]
    assert missing == []
    assert "annotation/" not in text and "seeds/" not in text, "no path of the project's repository"


def _code_blocks(release) -> list[str]:
    from corpus.datasheet import HUB_ID

    text = (release / "README.md").read_text(encoding="utf-8")
    return [block.replace(HUB_ID, str(release)) for block in re.findall(r"```python\n(.*?)```", text, re.S)]


def _run(python: str, code: str, tmp_path) -> str:
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_card_snippets_run_as_printed(release, tmp_path):
    """Loading and evaluating, with the Hub id replaced by the release folder; datasets 5.x here."""
    load, evaluate = _code_blocks(release)
    assert eval(_run(sys.executable, load, tmp_path).splitlines()[-1]) == list(TAGS)
    out = _run(sys.executable, evaluate, tmp_path)
    f1 = float(re.search(r"strict micro F1: ([0-9.]+)", out)[1])
    assert 0 < f1 < 1 and "QUANTITY" in out


def test_the_release_loads_with_datasets_3(release, tmp_path):
    """The card's load snippet as printed, and both configs' rows, under datasets 3.6 (`make test` installs it)."""
    python = os.environ.get("TROOPCLAIMS_DATASETS3", "")
    if not (python and os.access(python, os.X_OK)):
        reason = "TROOPCLAIMS_DATASETS3 is not a Python with datasets 3.x (`make datasets3` installs one)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    load, _ = _code_blocks(release)
    out = _run(python, load + """
import datasets, json
print(json.dumps([datasets.__version__, sentences.num_rows, documents.num_rows,
                  sentences[0]["ner_tags"], documents[0]["spans"][0]]))""", tmp_path)
    version, n_sentences, n_documents, tags, span = json.loads(out.splitlines()[-1])
    assert eval(out.splitlines()[-2]) == list(TAGS)
    import datasets

    sents = datasets.load_dataset(str(release), split=DEFAULT_SPLIT, cache_dir=str(tmp_path / "c5"))
    docs = datasets.load_dataset(str(release), "documents", split=DEFAULT_SPLIT, cache_dir=str(tmp_path / "c5"))
    assert version.startswith("3.") and (n_sentences, n_documents) == (sents.num_rows, docs.num_rows)
    assert tags == sents[0]["ner_tags"] and span == docs[0]["spans"][0]


def test_publish_commands_delete_stale_data_and_tag_the_version(release):
    import fnmatch
    import shlex

    from corpus.release import publish_commands

    version = current_version()
    upload, tag = (shlex.split(c) for c in publish_commands("release/", version, "sha256:x", "me/troopclaims"))
    assert upload[:5] == ["hf", "upload", "me/troopclaims", "release/", "."] and "--repo-type" in upload
    stale = upload[upload.index("--delete") + 1]
    assert fnmatch.fnmatch("data/sentences/test-00000-of-00002.parquet", stale)
    assert tag[:5] == ["hf", "repos", "tag", "create", "me/troopclaims"] and tag[5] == f"v{version}"
    assert f'revision="v{version}"' in (release / "README.md").read_text(encoding="utf-8")


def test_croissant_validates_and_mlcroissant_reads_every_record(release, loaded):
    import mlcroissant as mlc

    meta = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    for f in (f for f in meta["distribution"] if "contentUrl" in f):  # files; a FileSet groups a config's
        assert hashlib.sha256((release / f["contentUrl"]).read_bytes()).hexdigest() == f["sha256"]
    dataset = mlc.Dataset(str(release / "croissant.json"))  # raises on any validation error
    assert not dataset.metadata.issues.errors and not dataset.metadata.issues.warnings
    assert dataset.metadata.version == current_version()
    assert dataset.metadata.url and meta["url"].startswith("https://huggingface.co/datasets/")
    assert {k for k in meta if k.startswith("rai:")} >= {
        "rai:dataCollection", "rai:dataAnnotationProtocol", "rai:dataLimitations", "rai:dataBiases",
        "rai:personalSensitiveInformation", "rai:dataUseCases", "rai:dataReleaseMaintenancePlan",
        "rai:dataCollectionTimeFrame", "rai:dataPreprocessingProtocol", "rai:dataAnnotationAnalysis",
        "rai:dataAnnotationPlatform"}
    assert "model annotator" in meta["rai:dataAnnotationProtocol"].replace("language-model", "model")
    sets = {r["@id"]: r for r in meta["recordSet"]}
    assert sets["ner_tags"]["dataType"] == sets["span_labels"]["dataType"] == "sc:Enumeration"
    fields = {f["@id"]: f for r in sets.values() for f in r["field"]} | {
        s["@id"]: s for r in sets.values() for f in r["field"] for s in f.get("subField", [])}
    assert fields["sentences/ner_tags"]["references"] == {"field": {"@id": "ner_tags/id"}}
    assert fields["documents/spans/label"]["references"] == {"field": {"@id": "span_labels/id"}}
    assert sets["splits"]["dataType"] == "cr:Split" and all("key" in r for r in sets.values())
    assert [r["ner_tags/name"] for r in dataset.records("ner_tags")] == list(TAGS)
    assert [r["span_labels/name"] for r in dataset.records("span_labels")] == list(LABELS)
    assert [r["splits/name"] for r in dataset.records("splits")] == list(SPLITS)

    sentences = list(dataset.records("sentences"))
    by_split = {s: [r for r in sentences if r["sentences/split"] == s.encode()] for s in SPLITS}
    assert sum(map(len, by_split.values())) == len(sentences), "every row names a split"
    for split in SPLITS:
        assert [list(r["sentences/ner_tags"]) for r in by_split[split]] == loaded["sentences"][split]["ner_tags"]
    documents = list(dataset.records("documents"))
    rows = [row for split in SPLITS for row in loaded["documents"][split]]
    assert sorted(r["documents/doc_id"].decode() for r in documents) == sorted(r["doc_id"] for r in rows)
    by_id = {r["doc_id"]: r for r in rows}
    for record in documents:
        row = by_id[record["documents/doc_id"].decode()]
        spans = record["documents/spans"]
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
    for path in FROM_ROOT.values():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, root / path)
    check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
    meta = json.loads((corpus / "croissant.json").read_text(encoding="utf-8"))
    assert meta["version"] == "1.0.0" and meta["datePublished"] == "2026-01-01"
    (root / "NOTICE").unlink()
    with pytest.raises(ReleaseError, match=r"cannot assemble a release: missing .*NOTICE"):
        check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
    (corpus / "croissant.json").write_text(json.dumps({**meta, "version": "9.9.9"}), encoding="utf-8")
    with pytest.raises(StaleBuildError, match="croissant.json differs"):
        check(corpus, seeds_dir=seeds, gold_dir=gold, root=root)
