"""`--smoke`: a benchmark's own code path with tiny sizes, so that CI (`make bench-smoke`) finds a
change that breaks it in seconds. Its figures are printed as usual but judge nothing: only
exceptions and the benchmark's own consistency checks fail a smoke run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Smoke data is built fresh in its own folder, away from the full runs' databases.
DATA = Path(__file__).resolve().parent.parent / "var" / "smoke"


def parse_args(parser: argparse.ArgumentParser, **sizes) -> argparse.Namespace:
    """Adds --smoke; with it, the arguments named in `sizes` default to those values (any given
    on the command line still win)."""
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args()
    if args.smoke:
        parser.set_defaults(**sizes)
        args = parser.parse_args()
    return args


def check(args: argparse.Namespace, problems: list[str]) -> None:
    """A smoke run fails on any problem; a full run has printed them and carries on (under load
    a slow page may time out there, which its figures already show)."""
    if args.smoke and problems:
        sys.exit("SMOKE RUN FAILED: " + "; ".join(problems))
