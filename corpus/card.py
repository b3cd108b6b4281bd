"""The dataset card (corpus/README.md): YAML metadata for `datasets`, and a body whose figures are computed."""
from __future__ import annotations

from collections import Counter

import yaml

from .dataset import CONFIGS, SPLIT, features
from .labels import LABELS
from .types import Document

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
        "pretty_name": "troopclaims",
        "language": ["en"],
        "license": "other",
        "license_name": "troopclaims-annotations-cc-by-4.0-texts-fair-use",
        "license_details": ("Annotations, tokens and claim links: CC BY 4.0. Article texts remain the "
                            "copyright of their publishers and are included verbatim for research."),
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": ["n<1K"],
        "tags": ["information-extraction", "claims", "attribution", "quantities", "news"],
        "configs": [
            {"config_name": c, "data_files": [{"split": SPLIT, "path": f"data/{c}/{SPLIT}-*.parquet"}],
             "version": version, **({"default": True} if c == "sentences" else {})}
            for c in CONFIGS
        ],
        "dataset_info": [
            {"config_name": c, "features": features(c)._to_yaml_list(),
             "splits": [{"name": SPLIT, "num_bytes": nbytes[c], "num_examples": len(rows[c])}]}
            for c in CONFIGS
        ],
    }


def _table(header: list[str], body: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def render_card(docs: list[Document], rows: dict[str, list[dict]], nbytes: dict[str, int],
                version: str, fp: str) -> str:
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
    label_rows = [[f"`{label}`", totals[label], DESCRIPTIONS[label]] for label in LABELS]
    front = yaml.safe_dump(_metadata(rows, nbytes, version), sort_keys=False, allow_unicode=True, width=100)
    return f"""---
{front}---

# troopclaims

A small, exact benchmark for one hard information-extraction task: in conflict
news, find every **quantity**, every **attribution** (who says it) and every
**date**, so that a reader can see *who claimed which number when*. The five
seed articles, about North Korean troops in Russia's war on Ukraine, disagree
with each other (11,000 or 12,000 sent; 25-30 thousand or 10-20 thousand more;
up to 100,000), and the disagreement is the point.

- **Version:** {version}
- **Content fingerprint:** `{fp}` (sha256 over the files under `data/`)
- **Changelog:** [CHANGELOG.md](CHANGELOG.md)

## Labels

Spans are half-open character ranges `[start, end)` into the raw article text,
also given as IOB2 tags over tokens. The full contract is in the project's
`annotation/GUIDELINES.md`.

{_table(["label", "spans", "what it marks"], label_rows)}

Tag set (`ner_tags` ClassLabel ids 0-6): `O, B-QUANTITY, I-QUANTITY, B-ATTRIBUTION, I-ATTRIBUTION, B-DATE, I-DATE`.

Every QUANTITY is the head of one **claim**, which links it to at most one
ATTRIBUTION (its source) and one DATE, and carries normalized values: `low`
and `high` (null for an open side), `approximate`, and an ISO 8601
`date_value` at the precision the text allows.

## Counts

{_table(header, per_doc)}

## Configurations

- `sentences` (default), split `test`: one row per sentence: `id`, `doc_id`,
  `sentence_index`, character `start`/`end`, `tokens`, `token_starts`,
  `token_ends` (character offsets into the document text), `ner_tags` (IOB2).
- `documents`, split `test`: one row per article: `doc_id`, `text`,
  `published` (inferred publication date), `spans` (`id`, `start`, `end`,
  `label`, `text`) and `claims` (`id`, `quantity`, `source`, `date`, `low`,
  `high`, `approximate`, `date_value`; span references by id).

## Loading

```python
from datasets import load_dataset

sentences = load_dataset("corpus", split="test")              # from the repository root
documents = load_dataset("corpus", "documents", split="test")
sentences.features["ner_tags"].feature.names
```

Tokens are produced by spaCy's blank English tokenizer with a rule-based
sentencizer (sentences also end at line breaks); whitespace-only tokens are
dropped.

## Provenance

The five articles (English-language news and wire rewrites published between
October 2024 and mid-2025) were supplied as plain-text seeds by the project's
requesters and are kept byte for byte in `seeds/`, with their sha256 in
`seeds/SHA256SUMS`; the document id is the file name without `.txt`. The
texts carry no publication dates: each document's `published` value was
inferred from its content, with the reasoning in its gold file. Gold spans
and claims were annotated by careful reading in independent passes (model
annotator sessions working from the written guidelines or from the label
contract alone), compared with the project's span matching and adjudicated
case by case; `annotation/AGREEMENT.md` gives the agreement figures and every
decision.

## License

Annotations: CC BY 4.0. Article texts: copyright of their publishers,
included verbatim for research on information extraction.
"""
