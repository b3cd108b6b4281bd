"""`troopclaims ls ...`: push tasks to and pull annotations from a Label Studio server."""
from __future__ import annotations


def add_ls_parser(sub) -> None:
    p = sub.add_parser("ls", help="sync gold with a Label Studio server (push, pull)",
                       description="Label Studio round trip (work in progress).")
    p.set_defaults(func=lambda args: p.print_help() or 0)
