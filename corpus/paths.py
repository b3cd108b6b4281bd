"""Where the project's files live (the repository is installed editable)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
GOLD_DIR = ROOT / "annotation" / "gold"
PASSES_DIR = ROOT / "annotation" / "passes"
CORPUS_DIR = ROOT / "corpus"
DATA_DIR = CORPUS_DIR / "data"
CARD_PATH = CORPUS_DIR / "README.md"
CHANGELOG_PATH = CORPUS_DIR / "CHANGELOG.md"
