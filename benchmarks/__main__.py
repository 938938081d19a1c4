"""`make bench`: every figure with its baseline and ratio, as a table."""

from __future__ import annotations

import sys

from benchmarks import report_speed
from benchmarks.common import print_table


def main() -> int:
    figures = [report_speed.measure()]
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
