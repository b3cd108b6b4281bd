"""What the dataset is, how it was made and how to use it: the prose the card and the Croissant file share.

Written once here so the Hub card's sections and the Croissant RAI fields
can never say different things. Figures (counts, version, fingerprint) are
not written here: texts with ``{placeholders}`` are filled by ``fill`` from
the counts the card and the Croissant file compute from the data, so no text
says "five" once articles are added.
"""
from __future__ import annotations

NAME = "troopclaims"
CREATOR = "troopclaims maintainers"
LICENSE_NAME = "apache-2.0-annotations-third-party-texts"  # the Hub's license_name (for `license: other`)
LICENSE_LINK = "LICENSE"  # the Hub takes LICENSE, LICENSE.md or a URL for license_link; NOTICE explains the texts
HUB_ID = "<user>/troopclaims"  # the Hub repository; the card's snippets load it (set it when the repo exists)
REPOSITORY = ("not public yet: the data, gold files, annotation passes and scoring harness live in the project's "
              "repository, which this release is built from; its label contract, guidelines, agreement report and "
              "provenance records ship in this release")
CONTACT = ("Open a discussion in the Community tab of this dataset's page on the Hub; a publisher who wants a "
           "text removed can ask there too (NOTICE).")
# Which annotation passes the card compares (annotation/passes/<name>, "gold" for the gold): pass, pass, what
PASS_COMPARISONS = (
    ("a", "b", "A vs B (both from the guidelines)"),
    ("a", "c", "A vs C (C from the label contract alone)"),
    ("a", "d", "A vs D (D from the contract alone, after release)"),
    ("gold", "d", "gold vs D"),
    ("test-2.0/annotator-a", "test-2.0/annotator-b", "round test-2.0: annotator-a vs annotator-b (blind)"),
    ("test-2.0/annotator-a", "gold", "round test-2.0: annotator-a vs adjudicated gold"),
    ("test-2.0/annotator-b", "gold", "round test-2.0: annotator-b vs adjudicated gold"),
    ("test-2.1/annotator-a", "test-2.1/annotator-b", "round test-2.1: annotator-a vs annotator-b (blind)"),
    ("test-2.1/annotator-a", "gold", "round test-2.1: annotator-a vs adjudicated gold"),
    ("test-2.1/annotator-b", "gold", "round test-2.1: annotator-b vs adjudicated gold"),
)
ANNOTATOR_MODEL = ("Claude, Anthropic's language model; each pass was a separate session, and the exact model "
                   "version of each was not recorded")
ANNOTATION_PLATFORM = ("Label Studio 1.23 for the test split (rounds test-2.0 and test-2.1: a round project with two annotations "
                       "per task and an adjudication project, the annotator sessions submitting their files "
                       "through the project's `ls submit`); the seed passes were written directly as the "
                       "project's gold JSONL files (LABELS.md for the format)")
APACHE_URL = "https://www.apache.org/licenses/LICENSE-2.0"
TEXTS_LICENSE = "Article texts: copyright of their publishers; not licensed by this project (see NOTICE)"

SUMMARY = (
    "A small, exact benchmark for one information-extraction task: in conflict news, find every quantity, "
    "every attribution (who says it) and every date, and link them into claims, so that a reader can see "
    "who claimed which number when. It holds {documents} English-language news articles, most about North Korean troops in "
    "Russia's war on Ukraine, annotated with QUANTITY, ATTRIBUTION and DATE spans (character offsets and "
    "IOB2 tags) and claims with normalized values."
)

LICENSING = (
    "The annotations (spans, tags, claims, normalized values), the tokenization and the metadata are the "
    "project's work, released under the Apache License 2.0 (LICENSE). The article texts (the `text` and "
    "`tokens` fields and each span's `text`) are third-party news: their copyright stays with their "
    "publishers, the project does not and cannot relicense them, and they are included verbatim only so "
    "that the offsets can be checked and the benchmark run. Anyone reusing the texts beyond research on "
    "information extraction must clear that with the publishers. See NOTICE."
)

DATA_COLLECTION = (
    "The first {seeds} articles (the `validation` split; English-language news and wire rewrites, in the dataset "
    "since {first_version}) were supplied as plain text by the project's requesters; they were not scraped or "
    "sampled. Their sources were established afterwards by searching stored public web pages for each text's own "
    "sentences; each document's record says what was found, or which searches found nothing. Their `published` "
    "values were inferred from their content alone, with the reasoning kept in the gold files. "
    "The `test` split (from 2.0.0) holds articles found by language-model sessions with searches of a store of public "
    "web pages, chosen for attributed, dated figures (about North Korean troops in Russia's war on Ukraine, and "
    "troop, casualty and equipment figures in other conflicts of 2023-2026), one family kept of any near-duplicates "
    "(word 5-gram shingles), each the page's stored excerpt (at most about 2,000 characters, page furniture kept; "
    "a leading date marker the store adds was removed and noted). Each entered with `add-article` and a provenance "
    "record: URL, outlet, publication date as precise as known and how it was known, the search that found it, the "
    "day it was taken, sha256, licence note, listed per document in the card. "
    "Texts are kept byte for byte, with their sha256, and nothing in them is edited. Tokens come from spaCy's blank English tokenizer with a rule-based "
    "sentencizer (sentences also end at line breaks); whitespace-only tokens are dropped."
)

ANNOTATION_PROTOCOL = (
    "Every pass was made by a language-model annotator session ({ANNOTATOR_MODEL}), not by people. "
    "Test split (rounds test-2.0 and test-2.1): two annotator identities in Label Studio (annotator-a, "
    "annotator-b; four sessions each per round, every session a share of the articles), each blind to the other and to every extractor "
    "(no pre-annotation), annotated spans, claims and targets from LABELS.md and GUIDELINES.md and submitted them "
    "to the round project; the lead settled the cases that split them in the guidelines (§7), and adjudicator "
    "sessions (four, then three) decided every difference, starting from annotator-a's pass, and applied the settled "
    "cases to agreed places too, recording their reasons in the project repository's notes of the round. Seeds (validation): written guidelines were "
    "drawn up first from the label contract and a close reading of the seeds. Pass A and pass B were made "
    "independently from the guidelines (neither saw the other, the gold or any extractor output) and agreed "
    "completely. Pass C was made from the label contract alone, without the guidelines, "
    "to test the guidelines' own decisions; every difference from pass A was adjudicated by reading the text "
    "against the contract, and the gold is pass A with the two changes that adjudication took from C. "
    "After release, pass D (again from the contract alone) checked the gold and changed nothing. The passes "
    "were written directly in the project's gold file format; agreement was measured with the project's "
    "span matching. The agreement figures and every decision are in AGREEMENT.md. "
    "Since all passes were model sessions sharing one reading of the contract, treat the agreement as an "
    "upper bound on what independent human annotators would reach."
)
ANNOTATIONS_PER_ITEM = ("Test split: two independent passes per document, adjudicated into one gold annotation. "
                        "Validation split (seeds): four passes (A, B, C, D) and two claim-target passes (E, F).")
ANNOTATOR_DEMOGRAPHICS = "None: the annotators were language-model sessions ({ANNOTATOR_MODEL}), not people."

USES = (
    "Evaluating extractors (rules, NER models, LLM prompts) that find QUANTITY, ATTRIBUTION and DATE spans "
    "in news and link them into claims; comparing span-matching schemes; studying how conflicting "
    "estimates are attributed. It is an evaluation set (splits: {splits}), scored with seqeval's strict IOB2 mode "
    "and SemEval-2013 span matching by the project's harness."
)
OUT_OF_SCOPE = (
    "Training or fine-tuning models to be reported as general-purpose extractors ({documents} articles are far "
    "too few, and the benchmark is then spent); estimating troop numbers or judging which source is right "
    "(the gold records who claimed what, not what is true); any use that profiles the named people; "
    "redistributing the article texts outside research on information extraction."
)

BIASES = (
    "Most of the {documents} articles cover one topic (North Korean troops in Russia's war on Ukraine), the rest "
    "troop, casualty and equipment figures in other conflicts of 2023-2026 (Gaza, Lebanon, Sudan, India and "
    "Pakistan and others), published between {first_published} and {last_published}, in English, from Western, "
    "Ukrainian, Korean, Russian state and South Asian outlets and wire rewrites chosen for dense attributed "
    "figures; the sources they quote are mostly officials, intelligence services, health ministries and "
    "analysts. A system tuned here learns that register and that cast of sources."
)
LIMITATIONS = (
    "Small: {documents} documents, {sentences} sentences, {spans} spans, {claims} claims; the test split's "
    "95% intervals are about 0.03 F1 wide. Splits: {splits}. The baselines were written by engineers who had read "
    "the seed texts (validation): their validation scores are optimistic; the test split was never seen by them "
    "(frozen before its gold existed). Test texts are stored excerpts of about 2,000 characters, so some end "
    "mid-sentence. Annotation by model sessions (see the annotation protocol). The seeds' publication dates are "
    "inferred from content. The numbers in the texts are claims by the quoted sources, not verified facts."
)
PERSONAL_INFORMATION = (
    "The texts name real people: government officials, military and intelligence officers, politicians "
    "and analysts (for example Jenny Town), in their public roles as quoted in published news. Their names "
    "appear in the texts and as ATTRIBUTION spans. No private individuals, contact details or other "
    "personal data beyond what the articles published are included; no data was collected from people. "
    "The subject (soldiers sent to war, casualty figures) is sensitive."
)
SOCIAL_IMPACT = (
    "Better attribution of figures in conflict reporting helps readers weigh claims against their "
    "sources. Misuse risks: presenting an extractor's output, or the gold, as verified facts about a war."
)
PREPROCESSING = (
    "Texts are kept byte for byte (UTF-8, sha256 recorded); nothing is normalized, corrected or removed. "
    "Offsets count Unicode code points (Python string indices), not UTF-8 bytes. Sentences and tokens come from "
    "spaCy's blank English tokenizer with a rule-based sentencizer (sentences also end at line breaks); "
    "whitespace-only tokens are dropped; IOB2 tags are derived from the character spans, never annotated apart."
)
ANNOTATION_ANALYSIS = (
    "Agreement between independent passes, measured with SemEval-2013 span matching (exact-match and overlap "
    "F1) and claim by claim; every difference was adjudicated against the label contract. Span agreement per "
    "comparison: {agreement}. Claim agreement, tables and every decision: AGREEMENT.md."
)
MAINTENANCE = (
    "Versioned: every change to the data gets a new version and a CHANGELOG.md entry recording the content "
    "fingerprint (sha256 over the rows and schema), so results name exactly the data they scored. Fixes to "
    "the gold are made through the project's repository (validate, build, bump) and released as new "
    "versions; old versions stay listed."
)


def fill(text: str, **figures) -> str:
    """A text above with its ``{placeholders}`` filled: figures from the data, and the annotator model."""
    return text.format(ANNOTATOR_MODEL=ANNOTATOR_MODEL, **figures)


def apa(version: str, year: str) -> str:
    """The citation in APA style (the card shows it beside the BibTeX)."""
    return (f"{CREATOR}. ({year}). *troopclaims: who claimed which number when. Quantities, attributions and "
            f"dates in conflict news* (Version {version}) [Data set].")


def bibtex(version: str, year: str) -> str:
    """The citation, in BibTeX (the card shows it; the Croissant file's citeAs carries it)."""
    return (f"@misc{{troopclaims_{year},\n"
            f"  title  = {{troopclaims: who claimed which number when. Quantities, attributions and dates "
            f"in conflict news}},\n"
            f"  author = {{{{{CREATOR}}}}},\n"
            f"  year   = {{{year}}},\n"
            f"  note   = {{Dataset, version {version}}}\n"
            f"}}")
