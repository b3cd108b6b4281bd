"""The dataset card (README.md) on the Hub's dataset-card template: YAML for `datasets` and the Hub, computed figures.

Prose comes from ``datasheet`` (shared with croissant.json), features and
field descriptions from ``dataset``; this module only lays them out.
"""
from __future__ import annotations

from collections import Counter

import yaml

from . import datasheet as ds
from .dataset import CONFIG_DESCRIPTIONS, CONFIGS, FIELD_DESCRIPTIONS, SPLIT, features
from .labels import LABELS, TAGS, TARGETS
from .provenance import Provenance
from .types import Document
from .version import is_release

DESCRIPTIONS = {
    "QUANTITY": "a numeric expression saying how many or how much, with its approximator or bound "
                "(`up to 100,000`, `25-30 thousand`, `several thousand`, `six`)",
    "ATTRIBUTION": "the source a reported statement, estimate or claim is attributed to "
                   "(`Ukrainian intelligence`, `Jenny Town`, `CNN`, `intelligence calculations`)",
    "DATE": "an expression placing an event or statement in calendar time, absolute or relative "
            "(`October 29, 2024`, `fall of 2024`, `last week`, `coming months`)",
}


def _metadata(rows: dict[str, list[dict]], nbytes: dict[str, int], version: str) -> dict:
    return {
        "pretty_name": ds.NAME,
        "language": ["en"],
        "license": "other",
        "license_name": ds.LICENSE_NAME,
        "license_link": "NOTICE",
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": ["n<1K"],
        "tags": ["information-extraction", "claims", "attribution", "quantities", "news", "croissant"],
        "configs": [
            {"config_name": c, "data_files": [{"split": SPLIT, "path": f"data/{c}/{SPLIT}-*.parquet"}],
             **({"version": version} if is_release(version) else {}),
             **({"default": True} if c == "sentences" else {})}
            for c in CONFIGS
        ],
        "dataset_info": [
            {"config_name": c, "features": features(c)._to_yaml_list(),
             "splits": [{"name": SPLIT, "num_bytes": nbytes[c], "num_examples": len(rows[c])}],
             "dataset_size": nbytes[c]}
            for c in CONFIGS
        ],
    }


def _table(header: list[str], body: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def _fields(config: str) -> str:
    return "\n".join(f"  - `{name}`: {text}" for name, text in FIELD_DESCRIPTIONS[config].items())


def stats(docs: list[Document], rows: dict[str, list[dict]]) -> dict[str, int]:
    """The headline counts, as the card's limitations and croissant.json state them."""
    return {"documents": len(docs), "sentences": len(rows["sentences"]),
            "spans": sum(len(d.spans) for d in docs), "claims": sum(len(d.claims) for d in docs)}


def _provenance_rows(docs: list[Document], provenance: dict[str, Provenance]) -> list[list]:
    """One row per document from its provenance record; a date only the content fixes says so."""
    out = []
    for d in docs:
        p = provenance[d.id]
        published = p.published or (f"{d.published} (inferred from the content)" if d.published else "unknown")
        out.append([f"`{d.id}`", p.outlet or "not recorded", f"<{p.url}>" if p.url else "not recorded",
                    published, p.added_in, p.licence_note.replace("|", "\\|")])
    return out


def _document_table(docs: list[Document], rows: dict[str, list[dict]]) -> tuple[str, Counter]:
    """Sentences, tokens, spans per label and claims per document, with a total row; and the label totals."""
    per_doc = []
    totals = Counter()
    for d in docs:
        counts = Counter(s.label for s in d.spans)
        totals.update(counts)
        n_sent = sum(1 for r in rows["sentences"] if r["doc_id"] == d.id)
        n_tok = sum(len(r["tokens"]) for r in rows["sentences"] if r["doc_id"] == d.id)
        per_doc.append([f"`{d.id}`", d.published or "", n_sent, n_tok]
                       + [counts[label] for label in LABELS] + [len(d.claims)])
    n_claims = sum(len(d.claims) for d in docs)
    header = ["document", "published", "sentences", "tokens", *LABELS, "claims"]
    per_doc.append(["**total**", "", len(rows["sentences"]), sum(r[3] for r in per_doc)]
                   + [totals[label] for label in LABELS] + [n_claims])
    return _table(header, per_doc), totals


def render_card(docs: list[Document], rows: dict[str, list[dict]], nbytes: dict[str, int],
                version: str, fp: str, date: str, provenance: dict[str, Provenance]) -> str:
    """The dataset card (Hub template): a template filled from the data, the features and corpus/datasheet.py."""
    document_table, totals = _document_table(docs, rows)
    label_rows = [[f"`{label}`", totals[label], DESCRIPTIONS[label]] for label in LABELS]
    targets = Counter(c.target for d in docs for c in d.claims)
    target_rows = [[f"`{name}`", targets[name], definition] for name, definition in TARGETS.items()]
    front = yaml.safe_dump(_metadata(rows, nbytes, version), sort_keys=False, allow_unicode=True, width=100)
    counts = stats(docs, rows)
    return f"""---
{front}---

# Dataset Card for troopclaims

{ds.SUMMARY} The articles disagree with each other (11,000 or 12,000 sent;
25-30 thousand or 10-20 thousand more; up to 100,000), and the disagreement
is the point: a system that finds "12,000" but not *who* said it, or *when*,
has not helped a reader weigh the claims.

- **Version:** {version} ({date}); changes in [CHANGELOG.md](CHANGELOG.md)
- **Content fingerprint:** `{fp}` (sha256 over the rows and schema of the files under `data/`, independent of the Parquet writer)
- **Curated by:** {ds.CREATOR}
- **Language:** English
- **License:** annotations Apache-2.0; article texts third-party, not relicensed (see [License](#license))
- **Croissant metadata:** [croissant.json](croissant.json) (Croissant 1.1 with the responsible-AI fields)

## Uses

### Direct Use

{ds.USES}

```python
from datasets import load_dataset

sentences = load_dataset("<user>/troopclaims", split="test")              # default config: one row per sentence
documents = load_dataset("<user>/troopclaims", "documents", split="test") # one row per article
sentences.features["ner_tags"].feature.names
```

From a clone of the project repository, pass the folder instead: `load_dataset("corpus", split="test")`.

### Out-of-Scope Use

{ds.OUT_OF_SCOPE}

## Dataset Structure

Two configurations, each with one `{SPLIT}` split.

- `sentences` (default): {CONFIG_DESCRIPTIONS["sentences"]}
{_fields("sentences")}
- `documents`: {CONFIG_DESCRIPTIONS["documents"]}
{_fields("documents")}

Spans are half-open character ranges `[start, end)` into the raw article text,
also given as IOB2 tags over tokens. Tag set (`ner_tags` ClassLabel ids 0-{len(TAGS) - 1}):
`{", ".join(TAGS)}`.

{_table(["label", "spans", "what it marks"], label_rows)}

Every QUANTITY is the head of one **claim**, which links it to at most one
ATTRIBUTION (its source) and one DATE, and carries normalized values: `low`
and `high` (null for an open side), `approximate`, and an ISO 8601
`date_value` at the precision the text allows, and a `target`: what the
number counts (`claims/target` ClassLabel ids 0-{len(TARGETS) - 1}). The label contract is the
project's `annotation/LABELS.md`; `annotation/GUIDELINES.md` applies it to these texts.

{_table(["target", "claims", "what the number counts"], target_rows)}

{document_table}

## Dataset Creation

### Curation Rationale

Conflict reporting cites many figures from many sources, and they disagree.
Extraction systems are usually scored on entities alone; this benchmark
scores whether a system recovers the quantity, its source and its date
together.

### Source Data

#### Data Collection and Processing

{ds.DATA_COLLECTION}

Provenance of every document (from the project's `seeds/PROVENANCE.jsonl`, written by `troopclaims
add-article`; {len(docs)} documents):

{_table(["document", "outlet", "source", "published", "added in", "licence note"], _provenance_rows(docs, provenance))}

#### Who are the source data producers?

Journalists and wire services of the publishing outlets; the project did not
write or edit the texts.

### Annotations

#### Annotation process

{ds.ANNOTATION_PROTOCOL}

#### Who are the annotators?

{ds.ANNOTATOR_DEMOGRAPHICS} {ds.ANNOTATIONS_PER_ITEM}

#### Personal and Sensitive Information

{ds.PERSONAL_INFORMATION}

## Bias, Risks, and Limitations

{ds.BIASES}

{ds.LIMITATIONS.format(**counts)}

### Recommendations

Report intervals, not only point scores; read the numbers in the texts as
claims by their sources; do not train on this test set.

## Citation

**BibTeX:**

```bibtex
{ds.bibtex(version, date[:4])}
```

## License

{ds.LICENSING}

## Maintenance

{ds.MAINTENANCE}
"""
