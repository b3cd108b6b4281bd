"""Scoring extractors against the gold: sources, readers, metrics, results, the leaderboard, the command line."""

# Shared by the library and the command line; here so that building the parser imports nothing heavy.
DEFAULT_TIMEOUT = 600.0  # seconds an extractor or command may run
