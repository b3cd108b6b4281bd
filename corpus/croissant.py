"""croissant.json: Croissant 1.1 JSON-LD with the RAI fields, derived from the same features as the card.

Record sets follow the configs (``sentences``; ``documents`` with nested
``spans`` and ``claims``); fields are generated from ``dataset.features`` so
the two descriptions of the data cannot drift, and the files and splits come
from the parts the build wrote. The tag and label names are ``sc:Enumeration``
record sets the ClassLabel fields reference; a ``cr:Split`` record set names
the splits, and each row's ``split`` field (from its file's name) references it.
"""
from __future__ import annotations

import json

from . import datasheet as ds
from .dataset import CONFIG_DESCRIPTIONS, CONFIGS, FIELD_DESCRIPTIONS, Part, features, splits
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
    "wd": "https://www.wikidata.org/wiki/",
}
# Croissant's split semantics for the split names the build may write
_SPLIT_URLS = {"train": "cr:TrainingSplit", "validation": "cr:ValidationSplit", "test": "cr:TestSplit"}
URL = f"https://huggingface.co/datasets/{ds.HUB_ID}"  # the dataset's page once published
_DATA_TYPES = {"string": "sc:Text", "int32": "cr:Int32", "int64": "cr:Int64", "float64": "cr:Float64",
               "bool": "sc:Boolean"}
# ClassLabel fields -> the enumeration record set holding their names
_ENUMS = {("sentences", "ner_tags"): ("ner_tags", TAGS), ("documents", "spans/label"): ("span_labels", LABELS),
          ("documents", "claims/target"): ("claim_targets", TARGET_NAMES)}


def _source(file_ids: list[str], extract: dict) -> dict:
    """Where a field's values come from: one file, or the config's file set (one file per split)."""
    if len(file_ids) == 1:
        return {"fileObject": {"@id": file_ids[0]}, "extract": extract}
    return {"fileSet": {"@id": file_ids[0].rsplit("-", 2)[0] + "-parquet-files"}, "extract": extract}


def _leaf(config: str, path: str, feature, file_ids: list[str], column: str, json_path: str | None,
          is_array: bool) -> dict:
    from datasets import ClassLabel, List

    if isinstance(feature, List):
        return _leaf(config, path, feature.feature, file_ids, column, json_path, True)
    dtype = "int64" if isinstance(feature, ClassLabel) else feature.dtype
    source = _source(file_ids, {"column": column})
    if json_path:
        source["transform"] = {"jsonPath": json_path}
    field = {"@type": "cr:Field", "@id": f"{config}/{path}", "name": path.rsplit("/", 1)[-1],
             "description": FIELD_DESCRIPTIONS[config][path], "dataType": _DATA_TYPES[dtype], "source": source}
    if is_array:
        field.update(isArray=True, arrayShape="-1")
    if (config, path) in _ENUMS:
        enum, names = _ENUMS[(config, path)]
        field["references"] = {"field": {"@id": f"{enum}/id"}}
        field["description"] += f"; names in record set `{enum}`: " + ", ".join(
            f"{i} {n}" for i, n in enumerate(names))
    return field


def _fields(config: str, file_ids: list[str]) -> list[dict]:
    from datasets import List

    out = []
    for name, feature in features(config).items():
        if isinstance(feature, List) and isinstance(feature.feature, dict):  # nested records: spans, claims
            out.append({"@type": "cr:Field", "@id": f"{config}/{name}", "name": name,
                        "description": FIELD_DESCRIPTIONS[config][name],
                        "subField": [_leaf(config, f"{name}/{sub}", f, file_ids, name, sub, True)
                                     for sub, f in feature.feature.items()]})
        else:
            out.append(_leaf(config, name, feature, file_ids, name, None, False))
    return out


def _split_field(config: str, file_ids: list[str]) -> dict:
    """The row's split, read from its file's name (data/<config>/<split>-00000-of-00001.parquet)."""
    return {"@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
            "description": "the split that holds the row (from its file's name)",
            "references": {"field": {"@id": "splits/name"}},
            "source": _source(file_ids, {"fileProperty": "filename"})
            | {"transform": {"regex": r"^([^-.]+)"}}}  # the name up to the shard number (or the extension)


def _splits(names: list[str]) -> dict:
    return {"@type": "cr:RecordSet", "@id": "splits", "name": "splits", "dataType": "cr:Split",
            "description": "The splits, with Croissant's meaning of each.", "key": {"@id": "splits/name"},
            "field": [{"@type": "cr:Field", "@id": "splits/name", "name": "name", "dataType": "sc:Text",
                       "description": "the split's name"},
                      {"@type": "cr:Field", "@id": "splits/url", "name": "url", "dataType": "sc:URL",
                       "description": "its meaning in Croissant's vocabulary"}],
            "data": [{"splits/name": n, "splits/url": _SPLIT_URLS.get(n, "cr:Split")} for n in names]}


def _enum(record_id: str, names: tuple[str, ...], what: str) -> dict:
    return {"@type": "cr:RecordSet", "@id": record_id, "name": record_id, "description": what,
            "dataType": "sc:Enumeration", "key": {"@id": f"{record_id}/id"},
            "field": [{"@type": "cr:Field", "@id": f"{record_id}/id", "name": "id", "dataType": "cr:Int64",
                       "description": "the id stored in the data"},
                      {"@type": "cr:Field", "@id": f"{record_id}/name", "name": "name", "dataType": "sc:Text",
                       "description": "what the id means"}],
            "data": [{f"{record_id}/id": i, f"{record_id}/name": n} for i, n in enumerate(names)]}


def render_croissant(parts: list[Part], version: str, fp: str, date: str, figures: dict,
                     agreement: list[list]) -> str:
    """The JSON-LD text. ``parts``: the files the build wrote; ``figures``: the counts the prose states
    (``card.stats``); ``agreement``: ``card.agreement_rows``; ``date``: the release date (ISO)."""
    distribution = []
    record_sets = [
        _enum("ner_tags", TAGS, "The IOB2 tags of `sentences/ner_tags`: id -> tag."),
        _enum("span_labels", LABELS, "The labels of `documents/spans/label`: id -> label."),
        _enum("claim_targets", TARGET_NAMES, "What a claim counts, `documents/claims/target`: id -> target."),
        _splits(splits(parts)),
    ]
    for config in CONFIGS:
        mine = [p for p in parts if p.config == config]
        for p in mine:
            distribution.append({"@type": "cr:FileObject", "@id": p.file_id, "name": p.file_id,
                                 "description": f"The `{p.split}` split of the `{config}` config.",
                                 "contentUrl": p.path, "encodingFormat": "application/x-parquet",
                                 "contentSize": f"{p.size} B", "sha256": p.sha256})
        if len(mine) > 1:
            # The records read the config's files as one set, by a glob beside croissant.json (mlcroissant
            # cannot read a FileSet "contained in" Parquet FileObjects); the FileObjects give each sha256.
            distribution.append({"@type": "cr:FileSet", "@id": f"{config}-parquet-files",
                                 "name": f"{config}-parquet-files",
                                 "description": f"The `{config}` config's files, one per split (listed above).",
                                 "encodingFormat": "application/x-parquet", "includes": f"data/{config}/*.parquet"})
        file_ids = [p.file_id for p in mine]
        record_sets.append({"@type": "cr:RecordSet", "@id": config, "name": config,
                            "description": CONFIG_DESCRIPTIONS[config],
                            "key": {"@id": f"{config}/{'id' if config == 'sentences' else 'doc_id'}"},
                            "field": [_split_field(config, file_ids), *_fields(config, file_ids)]})
    doc = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": ds.NAME,
        "description": ds.fill(ds.SUMMARY, **figures) + f" Content fingerprint: {fp}.",
        "url": URL,
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
        "rai:dataCollection": ds.fill(ds.DATA_COLLECTION, **figures),
        "rai:dataCollectionTimeFrame": [figures["first_published"], figures["last_published"]],
        "rai:dataPreprocessingProtocol": [ds.PREPROCESSING],
        "rai:dataAnnotationAnalysis": [ds.fill(ds.ANNOTATION_ANALYSIS, agreement="; ".join(
            f"{what}: exact-match F1 {exact}, overlap F1 {overlap} over {n} documents"
            for what, n, exact, overlap in agreement))],
        "rai:dataAnnotationPlatform": [ds.ANNOTATION_PLATFORM],
        "rai:dataCollectionType": ["Secondary data: published news articles supplied as plain text"],
        "rai:dataAnnotationProtocol": ds.fill(ds.ANNOTATION_PROTOCOL),
        "rai:annotationsPerItem": ds.ANNOTATIONS_PER_ITEM,
        "rai:annotatorDemographics": [ds.fill(ds.ANNOTATOR_DEMOGRAPHICS)],
        "rai:machineAnnotationTools": [f"Every annotation pass: {ds.ANNOTATOR_MODEL}"],
        "rai:dataBiases": [ds.fill(ds.BIASES, **figures)],
        "rai:dataLimitations": [ds.fill(ds.LIMITATIONS, **figures)],
        "rai:personalSensitiveInformation": [ds.PERSONAL_INFORMATION],
        "rai:dataUseCases": [ds.fill(ds.USES, **figures), "Out of scope: " + ds.fill(ds.OUT_OF_SCOPE, **figures)],
        "rai:dataSocialImpact": ds.SOCIAL_IMPACT,
        "rai:dataReleaseMaintenancePlan": [ds.MAINTENANCE],
        "distribution": distribution,
        "recordSet": record_sets,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
