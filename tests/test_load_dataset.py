"""The built dataset loads with the real `datasets` library, offline, as the card says."""
import re

import pytest
import yaml

from corpus.labels import LABELS, TAGS
from corpus.paths import CARD_PATH, CORPUS_DIR
from corpus.version import current_version, is_release


@pytest.fixture(scope="module")
def card_metadata():
    text = CARD_PATH.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture(scope="module")
def load(tmp_path_factory, monkeypatch_module):
    import datasets

    cache = tmp_path_factory.mktemp("hf-cache")  # the cache key ignores changed files: never reuse one
    return lambda *args, **kw: datasets.load_dataset(str(CORPUS_DIR), *args, cache_dir=str(cache), **kw)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_DATASETS_OFFLINE", "1")
    mp.setenv("HF_HUB_OFFLINE", "1")
    yield mp
    mp.undo()


def _stated(card_metadata, config, split):
    info = next(i for i in card_metadata["dataset_info"] if i["config_name"] == config)
    return next(s["num_examples"] for s in info["splits"] if s["name"] == split)


def _split_ids(split):
    from corpus.provenance import read_provenance

    return sorted(d for d, p in read_provenance().items() if p.split == split)


def test_default_config_is_sentences_with_label_names(load, card_metadata):
    ds = load(split="test")
    assert ds.features["ner_tags"].feature.names == list(TAGS)
    assert ds.num_rows == _stated(card_metadata, "sentences", "test")
    assert load(split="validation").num_rows == _stated(card_metadata, "sentences", "validation") == 101
    assert str(ds.info.version) == current_version() if is_release(current_version()) else str(ds.info.version) == "0.0.0"
    row = ds[0]
    assert len(row["tokens"]) == len(row["ner_tags"]) == len(row["token_starts"]) == len(row["token_ends"])


@pytest.mark.parametrize("split", ["validation", "test"])
def test_documents_config_carries_spans_and_claims(load, card_metadata, split):
    ds = load("documents", split=split)
    assert ds["doc_id"] == _split_ids(split) and ds.num_rows == _stated(card_metadata, "documents", split)
    assert ds.features["spans"].feature["label"].names == list(LABELS)
    for row in ds:
        for span in row["spans"]:
            assert row["text"][span["start"]:span["end"]] == span["text"]


def test_card_counts_match_the_loaded_data(load):
    """The per-label totals in the card body are computed, and equal what loads (both splits)."""
    import datasets

    docs = datasets.concatenate_datasets([load("documents", split=s) for s in ("validation", "test")])
    body = CARD_PATH.read_text(encoding="utf-8")
    totals = re.search(r"^\| \*\*total\*\* \|\s*\|\s*\| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", body, re.M)
    assert totals, "the card has a totals row"
    n_spans = [sum(1 for d in docs for s in d["spans"] if s["label"] == i) for i in range(len(LABELS))]
    assert [int(x) for x in totals.groups()[2:5]] == n_spans
    assert int(totals[6]) == sum(len(d["claims"]) for d in docs)
    sents = datasets.concatenate_datasets([load("sentences", split=s) for s in ("validation", "test")])
    assert int(totals[1]) == sents.num_rows and int(totals[2]) == sum(len(t) for t in sents["tokens"])
