"""Shared fixtures: the seed texts and scratch copies of the project's inputs."""
import shutil

import pytest

from corpus.paths import GOLD_DIR, SEEDS_DIR
from corpus.seeds import load_seeds


@pytest.fixture(scope="session")
def texts():
    return load_seeds()


@pytest.fixture
def sources(tmp_path):
    """Scratch copies of seeds/ and annotation/gold/ plus an empty corpus dir."""
    seeds = tmp_path / "seeds"
    gold = tmp_path / "gold"
    shutil.copytree(SEEDS_DIR, seeds)
    shutil.copytree(GOLD_DIR, gold)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return seeds, gold, corpus
