"""croissant.json: Croissant 1.1 JSON-LD with the RAI fields, derived from the same features as the card.

Record sets follow the configs (``sentences``; ``documents`` with nested
``spans`` and ``claims``); fields are generated from ``dataset.features`` so
the two descriptions of the data cannot drift. Two small enumeration record
sets carry the tag and label names.
"""
from __future__ import annotations

import json

from . import datasheet as ds
from .dataset import CONFIG_DESCRIPTIONS, CONFIGS, FIELD_DESCRIPTIONS, SPLIT, features
from .labels import LABELS, TAGS, TARGET_NAMES

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_DATA_TYPES = {"string": "sc:Text", "int32": "cr:Int32", "int64": "cr:Int64", "float64": "cr:Float64",
               "bool": "sc:Boolean"}
# ClassLabel fields -> the enumeration record set holding their names
_ENUMS = {("sentences", "ner_tags"): ("ner_tags", TAGS), ("documents", "spans/label"): ("span_labels", LABELS),
          ("documents", "claims/target"): ("claim_targets", TARGET_NAMES)}


def _leaf(config: str, path: str, feature, file_id: str, column: str, json_path: str | None,
          is_array: bool) -> dict:
    from datasets import ClassLabel, List

    if isinstance(feature, List):
        return _leaf(config, path, feature.feature, file_id, column, json_path, True)
    dtype = "int64" if isinstance(feature, ClassLabel) else feature.dtype
    source = {"fileObject": {"@id": file_id}, "extract": {"column": column}}
    if json_path:
        source["transform"] = {"jsonPath": json_path}
    field = {"@type": "cr:Field", "@id": f"{config}/{path}", "name": path.rsplit("/", 1)[-1],
             "description": FIELD_DESCRIPTIONS[config][path], "dataType": _DATA_TYPES[dtype], "source": source}
    if is_array:
        field.update(isArray=True, arrayShape="-1")
    if (config, path) in _ENUMS:  # named in the description: a `references` would make loaders join on it
        enum, names = _ENUMS[(config, path)]
        field["description"] += f"; names in record set `{enum}`: " + ", ".join(
            f"{i} {n}" for i, n in enumerate(names))
    return field


def _fields(config: str, file_id: str) -> list[dict]:
    from datasets import List

    out = []
    for name, feature in features(config).items():
        if isinstance(feature, List) and isinstance(feature.feature, dict):  # nested records: spans, claims
            out.append({"@type": "cr:Field", "@id": f"{config}/{name}", "name": name,
                        "description": FIELD_DESCRIPTIONS[config][name],
                        "subField": [_leaf(config, f"{name}/{sub}", f, file_id, name, sub, True)
                                     for sub, f in feature.feature.items()]})
        else:
            out.append(_leaf(config, name, feature, file_id, name, None, False))
    return out


def _enum(record_id: str, names: tuple[str, ...], what: str) -> dict:
    return {"@type": "cr:RecordSet", "@id": record_id, "name": record_id, "description": what,
            "key": {"@id": f"{record_id}/id"},
            "field": [{"@type": "cr:Field", "@id": f"{record_id}/id", "name": "id", "dataType": "cr:Int64",
                       "description": "the id stored in the data"},
                      {"@type": "cr:Field", "@id": f"{record_id}/name", "name": "name", "dataType": "sc:Text",
                       "description": "what the id means"}],
            "data": [{f"{record_id}/id": i, f"{record_id}/name": n} for i, n in enumerate(names)]}


def render_croissant(files: dict[str, str], version: str, fp: str, date: str, stats: dict[str, int]) -> str:
    """The JSON-LD text. ``files``: data file path (``data/...``) -> sha256; ``stats``: documents,
    sentences, spans, claims; ``date``: the release date (ISO)."""
    distribution = []
    record_sets = [
        _enum("ner_tags", TAGS, "The IOB2 tags of `sentences/ner_tags`: id -> tag."),
        _enum("span_labels", LABELS, "The labels of `documents/spans/label`: id -> label."),
        _enum("claim_targets", TARGET_NAMES, "What a claim counts, `documents/claims/target`: id -> target."),
    ]
    for config in CONFIGS:
        paths = sorted(p for p in files if p.startswith(f"data/{config}/"))
        if len(paths) != 1:
            raise ValueError(f"expected one Parquet file for config {config!r}, got {paths}")
        file_id = f"{config}-{SPLIT}-parquet"
        distribution.append({"@type": "cr:FileObject", "@id": file_id, "name": file_id,
                             "description": f"The `{SPLIT}` split of the `{config}` config.",
                             "contentUrl": paths[0], "encodingFormat": "application/x-parquet",
                             "sha256": files[paths[0]]})
        record_sets.append({"@type": "cr:RecordSet", "@id": config, "name": config,
                            "description": CONFIG_DESCRIPTIONS[config] + f" Split: `{SPLIT}`.",
                            "field": _fields(config, file_id)})
    doc = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": ds.NAME,
        "description": ds.SUMMARY + f" Content fingerprint: {fp}.",
        "version": version,
        "datePublished": date,
        "inLanguage": ["en"],
        "keywords": ["information extraction", "named entity recognition", "claims", "attribution",
                     "quantities", "dates", "news"],
        "creator": {"@type": "sc:Organization", "name": ds.CREATOR},
        "license": [ds.APACHE_URL, {"@type": "sc:CreativeWork", "name": ds.TEXTS_LICENSE}],
        "usageInfo": ds.LICENSING,
        "citeAs": ds.bibtex(version, date[:4]),
        "isLiveDataset": False,
        "rai:dataCollection": ds.DATA_COLLECTION,
        "rai:dataCollectionType": ["Secondary data: published news articles supplied as plain text"],
        "rai:dataAnnotationProtocol": ds.ANNOTATION_PROTOCOL,
        "rai:annotationsPerItem": ds.ANNOTATIONS_PER_ITEM,
        "rai:annotatorDemographics": [ds.ANNOTATOR_DEMOGRAPHICS],
        "rai:machineAnnotationTools": ["Language-model annotator sessions (every annotation pass)"],
        "rai:dataBiases": [ds.BIASES],
        "rai:dataLimitations": [ds.LIMITATIONS.format(**stats)],
        "rai:personalSensitiveInformation": [ds.PERSONAL_INFORMATION],
        "rai:dataUseCases": [ds.USES, "Out of scope: " + ds.OUT_OF_SCOPE],
        "rai:dataSocialImpact": ds.SOCIAL_IMPACT,
        "rai:dataReleaseMaintenancePlan": [ds.MAINTENANCE],
        "distribution": distribution,
        "recordSet": record_sets,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
