"""Errors that name what is wrong and where."""


class TroopclaimsError(Exception):
    """Base class: a problem a user can fix, reported without a traceback by the CLI."""


class SeedError(TroopclaimsError):
    """A seed file is missing or no longer matches seeds/SHA256SUMS."""


class ProblemsError(TroopclaimsError):
    """Every problem found at once (``problems``), the first 50 shown, so one run shows all that is wrong."""

    where = "the input"

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in {self.where}:\n{shown}{more}")

    def __reduce__(self):  # pickled from a worker process as it was made: from its problems, not its message
        return type(self), (self.problems,)


class GoldError(ProblemsError):
    """Gold annotations break the label contract; ``problems`` lists every finding."""

    where = "the gold"


class FormatError(TroopclaimsError):
    """A file does not have the expected format; the message names file and line."""


class PredictionError(FormatError):
    """Predictions that cannot be scored as given."""


class UsageError(TroopclaimsError):
    """The command line asks for something impossible (exit 2, like argparse's own usage errors)."""
