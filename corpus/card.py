"""The dataset card (README.md) on the Hub's dataset-card template: YAML for `datasets` and the Hub, computed figures.

Prose comes from ``datasheet`` (shared with croissant.json), features and
field descriptions from ``dataset``, configs, splits and counts from the
parts the build wrote; this module only lays them out. The YAML is read by
`datasets` 3.x and 5.x alike: flat lists are written as ``sequence:``, which
both read as a list feature, where 5.x's own ``list:`` means a plain Python
list to 3.x.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml

from . import datasheet as ds
from .dataset import CONFIG_DESCRIPTIONS, CONFIGS, FIELD_DESCRIPTIONS, Part, features, splits
from .errors import TroopclaimsError
from .gold import loads
from .io import read_text
from .labels import LABELS, TAGS, TARGETS
from .provenance import Provenance
from .spanmatch import SpanMatch, match_spans
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
# The root README's generated leaderboard (eval/leaderboard.py writes it); the card shows the same table.
LEADERBOARD_START, LEADERBOARD_END = "<!-- leaderboard:start -->", "<!-- leaderboard:end -->"
# Files of the project shipped beside the card in the release (corpus/release.py copies them).
SHIPPED = ("LABELS.md", "GUIDELINES.md", "AGREEMENT.md", "PROVENANCE.jsonl", "LICENSE", "NOTICE")


def _yaml_features(config: str) -> list[dict]:
    """The features as card YAML; a list of one value type becomes ``sequence:`` (see the module docstring)."""
    out = []
    for feature in features(config)._to_yaml_list():
        if "list" in feature and not isinstance(feature["list"], list):
            feature = {("sequence" if k == "list" else k): v for k, v in feature.items()}
        out.append(feature)
    return out


def _metadata(parts: list[Part], version: str) -> dict:
    by_config = {c: [p for p in parts if p.config == c] for c in CONFIGS}
    return {
        "pretty_name": ds.NAME,
        "language": ["en"],
        "license": "other",
        "license_name": ds.LICENSE_NAME,
        "license_link": ds.LICENSE_LINK,
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "multilinguality": ["monolingual"],
        "source_datasets": ["original"],
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "size_categories": ["n<1K"],
        "tags": ["information-extraction", "claims", "attribution", "quantities", "news", "croissant"],
        "configs": [
            {"config_name": c, "data_files": [{"split": p.split, "path": f"data/{c}/{p.split}-*.parquet"}
                                              for p in by_config[c]],
             **({"version": version} if is_release(version) else {}),
             **({"default": True} if c == CONFIGS[0] else {})}
            for c in CONFIGS
        ],
        "dataset_info": [
            {"config_name": c, "features": _yaml_features(c),
             "splits": [{"name": p.split, "num_bytes": p.num_bytes, "num_examples": len(p.rows)}
                        for p in by_config[c]],
             "download_size": sum(p.size for p in by_config[c]),
             "dataset_size": sum(p.num_bytes for p in by_config[c])}
            for c in CONFIGS
        ],
    }


def _table(header: list[str], body: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def _fields(config: str) -> str:
    return "\n".join(f"  - `{name}`: {text}" for name, text in FIELD_DESCRIPTIONS[config].items())


def _rows(parts: list[Part], config: str) -> list[dict]:
    return [row for p in parts if p.config == config for row in p.rows]


def _split_of(parts: list[Part]) -> dict[str, str]:
    """Document id -> the split that holds it."""
    return {row["doc_id"]: p.split for p in parts if p.config == "documents" for row in p.rows}


def stats(docs: list[Document], parts: list[Part], provenance: dict[str, Provenance]) -> dict:
    """The figures the prose states (datasheet.fill), computed from the data and its provenance."""
    first = min((p.added_in for p in provenance.values()), key=lambda v: tuple(int(x) for x in v.split(".")))
    published = sorted(d.published for d in docs if d.published)
    return {"documents": len(docs), "sentences": len(_rows(parts, "sentences")),
            "spans": sum(len(d.spans) for d in docs), "claims": sum(len(d.claims) for d in docs),
            "seeds": sum(1 for p in provenance.values() if p.added_in == first), "first_version": first,
            "first_published": published[0] if published else "unknown",
            "last_published": published[-1] if published else "unknown",
            "splits": ", ".join(f"`{s}`" for s in splits(parts))}


def agreement_rows(docs: list[Document], gold_dir: Path, passes_dir: Path) -> list[list]:
    """Span agreement of the comparisons ``datasheet.PASS_COMPARISONS`` names, over the documents both sides have."""
    texts = {d.id: d.text for d in docs}
    out = []
    for a, b, what in ds.PASS_COMPARISONS:
        dirs = [gold_dir if side == "gold" else passes_dir / side for side in (a, b)]
        both = [d for d in texts if all((folder / f"{d}.jsonl").is_file() for folder in dirs)]
        if not both:
            continue
        total = SpanMatch()
        for d in both:  # file by file: a pass folder may hold documents this build does not
            left, right = (loads(read_text(folder / f"{d}.jsonl", "a gold file (JSONL)"), texts[d],
                                 str(folder / f"{d}.jsonl"), targets_required=False) for folder in dirs)
            match_spans(left.spans, right.spans, into=total)
        out.append([what, len(both), f"{total.overall['strict'].f1:.3f}", f"{total.overall['ent_type'].f1:.3f}"])
    return out


def _provenance(docs: list[Document], provenance: dict[str, Provenance], split_of: dict[str, str]) -> str:
    """The provenance table and, per document, how its source was established."""
    rows, notes = [], []
    for d in docs:
        p = provenance[d.id]
        rows.append([f"`{d.id}`", split_of[d.id], p.outlet or "not found", f"<{p.url}>" if p.url else "not found",
                     p.published or "not shown", d.published or "none", p.added_in])
        found = f" Found with the search {p.query!r}." if p.query else ""
        taken = f" Taken {p.taken}." if p.taken else ""
        notes.append(f"- `{d.id}`: {p.source_note}{found}{taken} Licence: {p.licence_note}")
    header = ["document", "split", "outlet", "source", "published (source)", "published (inferred, in the data)",
              "added in"]
    return _table(header, rows) + "\n\n" + "\n".join(notes)


def _document_table(docs: list[Document], parts: list[Part]) -> tuple[str, Counter]:
    """Sentences, tokens, spans per label and claims per document, with a total row; and the label totals."""
    sentences = _rows(parts, "sentences")
    split_of = _split_of(parts)
    per_doc = []
    totals = Counter()
    for d in docs:
        counts = Counter(s.label for s in d.spans)
        totals.update(counts)
        n_sent = sum(1 for r in sentences if r["doc_id"] == d.id)
        n_tok = sum(len(r["tokens"]) for r in sentences if r["doc_id"] == d.id)
        per_doc.append([f"`{d.id}`", split_of[d.id], d.published or "", n_sent, n_tok]
                       + [counts[label] for label in LABELS] + [len(d.claims)])
    header = ["document", "split", "published", "sentences", "tokens", *LABELS, "claims"]
    per_doc.append(["**total**", "", "", len(sentences), sum(r[4] for r in per_doc)]
                   + [totals[label] for label in LABELS] + [sum(len(d.claims) for d in docs)])
    return _table(header, per_doc), totals


def _example(parts: list[Part]) -> str:
    """The shortest sentence holding all three labels (else the first), and one document's first span and claim."""
    sentences = _rows(parts, "sentences")
    starts = {TAGS.index(f"B-{label}") for label in LABELS}
    full = [r for r in sentences if starts <= set(r["ner_tags"])]
    sentence = min(full, key=lambda r: len(r["tokens"])) if full else sentences[0]
    document = next(r for r in _rows(parts, "documents") if r["doc_id"] == sentence["doc_id"])
    shown = {**{k: v for k, v in document.items() if k not in ("text", "spans", "claims")},
             "text": document["text"][:60] + "...", "spans": document["spans"][:1], "claims": document["claims"][:1]}
    return (f"A `sentences` row (tag ids: {', '.join(f'{i} {t}' for i, t in enumerate(TAGS))}):\n\n```json\n"
            f"{json.dumps(sentence, ensure_ascii=False)}\n```\n\n"
            f"The same article in `documents` (text cut short, first span and claim only; span label ids: "
            f"{', '.join(f'{i} {n}' for i, n in enumerate(LABELS))}):\n\n```json\n"
            f"{json.dumps(shown, ensure_ascii=False, indent=1)}\n```")


def _code_point_spans(docs: list[Document]) -> tuple[int, int]:
    """How many spans start at a different place counted in UTF-8 bytes than in code points, of all spans."""
    differ = sum(1 for d in docs for s in d.spans if len(d.text[:s.start].encode("utf-8")) != s.start)
    return differ, sum(len(d.spans) for d in docs)


def _leaderboard(readme: str) -> str:
    if LEADERBOARD_START not in readme or LEADERBOARD_END not in readme:
        raise TroopclaimsError(f"README.md has no leaderboard between {LEADERBOARD_START} and {LEADERBOARD_END}; "
                               "run `troopclaims leaderboard` first")
    return readme.split(LEADERBOARD_START, 1)[1].split(LEADERBOARD_END, 1)[0].strip()


def _publishers(docs: list[Document], provenance: dict[str, Provenance]) -> str:
    named = sorted({provenance[d.id].outlet for d in docs if provenance[d.id].outlet})
    unknown = [f"`{d.id}`" for d in docs if not provenance[d.id].outlet]
    text = "The texts' publishers, as far as their sources were found: " + "; ".join(named) + "."
    if unknown:
        text += f" The publisher of {', '.join(unknown)} was not found (the provenance table lists the searches)."
    return text


def load_snippet(parts: list[Part]) -> str:
    """Loading both configs; runs as printed on `datasets` 3.x and 5.x (the tests run it)."""
    split = splits(parts)[-1]
    return f"""from datasets import load_dataset

sentences = load_dataset("{ds.HUB_ID}", split="{split}")                # default config: one row per sentence
documents = load_dataset("{ds.HUB_ID}", "documents", split="{split}")   # one row per article
print(sentences.features["ner_tags"].feature.names)
span = documents[0]["spans"][0]
assert documents[0]["text"][span["start"]:span["end"]] == span["text"]  # offsets count code points"""


def eval_snippet(parts: list[Part]) -> str:
    """Scoring a tagger with seqeval's strict IOB2 mode on the `tokens`, needing no project code."""
    split = splits(parts)[-1]
    return f"""from datasets import load_dataset
from seqeval.metrics import classification_report, f1_score
from seqeval.scheme import IOB2

data = load_dataset("{ds.HUB_ID}", split="{split}")
names = data.features["ner_tags"].feature.names
gold = [[names[i] for i in tags] for tags in data["ner_tags"]]


def predict(tokens):  # replace with your system: one IOB2 tag per token
    return ["B-QUANTITY" if token.replace(",", "").isdigit() else "O" for token in tokens]


pred = [predict(tokens) for tokens in data["tokens"]]
print(f"strict micro F1: {{f1_score(gold, pred, mode='strict', scheme=IOB2):.3f}}")
print(classification_report(gold, pred, mode="strict", scheme=IOB2, zero_division=0))"""


def render_card(docs: list[Document], parts: list[Part], version: str, fp: str, date: str,
                provenance: dict[str, Provenance], figures: dict, agreement: list[list], readme: str) -> str:
    """The dataset card (Hub template): a template filled from the data, the features and corpus/datasheet.py."""
    document_table, totals = _document_table(docs, parts)
    label_rows = [[f"`{label}`", totals[label], DESCRIPTIONS[label]] for label in LABELS]
    targets = Counter(c.target for d in docs for c in d.claims)
    target_rows = [[f"`{name}`", targets[name], definition] for name, definition in TARGETS.items()]
    front = yaml.safe_dump(_metadata(parts, version), sort_keys=False, allow_unicode=True, width=100)
    differ, n_spans = _code_point_spans(docs)
    split_names = splits(parts)
    split_counts = "; ".join(f"`{p.config}`/`{p.split}`: {len(p.rows)} rows" for p in parts)
    fill = lambda text: ds.fill(text, **figures)  # noqa: E731
    return f"""---
{front}---

# Dataset Card for troopclaims

{fill(ds.SUMMARY)} The articles disagree with each other (11,000 or 12,000 sent;
25-30 thousand or 10-20 thousand more; up to 100,000), and the disagreement
is the point: a system that finds "12,000" but not *who* said it, or *when*,
has not helped a reader weigh the claims.

## Dataset Details

### Dataset Description

- **Version:** {version} ({date}); changes in [CHANGELOG.md](CHANGELOG.md)
- **Content fingerprint:** `{fp}` (sha256 over the rows and schema of the files under `data/`, independent of the Parquet writer)
- **Curated by:** {ds.CREATOR}
- **Funded by:** not applicable: the project has no funding to declare
- **Shared by:** {ds.CREATOR}
- **Language(s):** English (`en`)
- **License:** annotations Apache-2.0 ([LICENSE](LICENSE)); article texts third-party, not relicensed ([NOTICE](NOTICE), [License](#license))
- **Croissant metadata:** [croissant.json](croissant.json) (Croissant 1.1 with the responsible-AI fields)

### Dataset Sources

- **Repository:** {ds.REPOSITORY}
- **Paper:** not applicable: no paper describes the dataset
- **Demo:** not applicable: the evaluation snippet below is the way to try it
- **Label contract and guidelines:** [LABELS.md](LABELS.md) (binding), [GUIDELINES.md](GUIDELINES.md) (worked examples)
- **Agreement and adjudication:** [AGREEMENT.md](AGREEMENT.md); **provenance records:** [PROVENANCE.jsonl](PROVENANCE.jsonl)

## Uses

### Direct Use

{fill(ds.USES)}

```python
{load_snippet(parts)}
```

To load a given version, pass its tag: `load_dataset("{ds.HUB_ID}", revision="v{version}")`
(every release is tagged `v<version>`; [CHANGELOG.md](CHANGELOG.md) lists them).

#### How to evaluate

seqeval's strict mode with the IOB2 scheme on the `tokens` of the `sentences`
config, needing only `datasets` and `seqeval` (the project's harness adds
span-level and claim-level scores and bootstrap intervals):

```python
{eval_snippet(parts)}
```

#### Baseline scores

{_leaderboard(readme)}

### Out-of-Scope Use

{fill(ds.OUT_OF_SCOPE)}

## Dataset Structure

Configurations and splits ({", ".join(f"`{s}`" for s in split_names)}): {split_counts}.

- `sentences` (default): {CONFIG_DESCRIPTIONS["sentences"]}
{_fields("sentences")}
- `documents`: {CONFIG_DESCRIPTIONS["documents"]}
{_fields("documents")}

Spans are half-open ranges `[start, end)` into the raw article text,
counted in **Unicode code points** (Python string indices), not UTF-8 bytes:
`text[start:end] == span.text` in Python. The two counts differ for {differ}
of the {n_spans} spans (the texts hold curly quotes, dashes and Cyrillic), so
a byte-offset reader must convert. Spans are also given as IOB2 tags over
tokens. Tag set (`ner_tags` ClassLabel ids 0-{len(TAGS) - 1}): `{", ".join(TAGS)}`.

{_table(["label", "spans", "what it marks"], label_rows)}

Every QUANTITY is the head of one **claim**, which links it to at most one
ATTRIBUTION (its source) and one DATE, and carries normalized values: `low`
and `high` (null for an open side), `approximate`, and an ISO 8601
`date_value` at the precision the text allows, and a `target`: what the
number counts (`claims/target` ClassLabel ids 0-{len(TARGETS) - 1}). The label contract is
[LABELS.md](LABELS.md); [GUIDELINES.md](GUIDELINES.md) applies it to these texts.

{_table(["target", "claims", "what the number counts"], target_rows)}

{_example(parts)}

{document_table}

## Dataset Creation

### Curation Rationale

Conflict reporting cites many figures from many sources, and they disagree.
Extraction systems are usually scored on entities alone; this benchmark
scores whether a system recovers the quantity, its source and its date
together.

### Source Data

#### Data Collection and Processing

{fill(ds.DATA_COLLECTION)}

{ds.PREPROCESSING}

Provenance of every document ([PROVENANCE.jsonl](PROVENANCE.jsonl); {figures["documents"]} documents):

{_provenance(docs, provenance, _split_of(parts))}

#### Who are the source data producers?

Journalists and wire services of the publishing outlets listed above; the
project did not write or edit the texts.

### Annotations

#### Annotation process

{fill(ds.ANNOTATION_PROTOCOL)}

Agreement of the passes (SemEval-2013 span matching: exact-match F1 needs the
same boundaries and label, overlap F1 the same label and overlapping
boundaries; claim-level agreement and every adjudicated decision are in
[AGREEMENT.md](AGREEMENT.md)):

{_table(["comparison", "documents", "exact-match F1", "overlap F1"], agreement)}

#### Who are the annotators?

{fill(ds.ANNOTATOR_DEMOGRAPHICS)} {ds.ANNOTATIONS_PER_ITEM} Annotation platform: {ds.ANNOTATION_PLATFORM}.

#### Personal and Sensitive Information

{ds.PERSONAL_INFORMATION}

## Bias, Risks, and Limitations

{fill(ds.BIASES)}

{fill(ds.LIMITATIONS)}

### Social Impact

{ds.SOCIAL_IMPACT}

### Recommendations

Report intervals, not only point scores; read the numbers in the texts as
claims by their sources; do not train on the evaluation splits.

## Citation

**BibTeX:**

```bibtex
{ds.bibtex(version, date[:4])}
```

**APA:**

{ds.apa(version, date[:4])}

## Glossary

- **claim**: a QUANTITY with the ATTRIBUTION it is attributed to and the DATE it refers to, if the text gives them
- **IOB2**: one tag per token; `B-X` begins a span of label X, `I-X` continues it, `O` is outside every span
- **strict (seqeval, SemEval-2013)**: a predicted span counts only with exactly the gold boundaries and label

## More Information

{ds.MAINTENANCE}

## License

{ds.LICENSING}

{_publishers(docs, provenance)}

## Dataset Card Authors

{ds.CREATOR}; the card is generated from the data by the project's build.

## Dataset Card Contact

{ds.CONTACT}
"""
