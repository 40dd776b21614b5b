"""``make bench``: the store-level table, then the HTTP table (wrk against the served mock).

``python -m tests.bench --help`` lists the options; ``--no-http`` or ``--no-store`` skip a table.
"""

from __future__ import annotations

import argparse

from tests.bench import http_table, store_level


def sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--store-sizes", type=sizes, default=sizes("100,1000,10000,100000"))
    parser.add_argument("--repeats", type=int, default=200, help="store level: operations per median")
    parser.add_argument("--sizes", type=sizes, default=sizes("100,10000,100000"), help="HTTP: models served")
    parser.add_argument("--modes", default="memory,data", help="HTTP: memory, data (DATA= file) or both")
    parser.add_argument("--seconds", type=float, default=4.0, help="HTTP: wrk duration per cell")
    parser.add_argument("--no-store", action="store_true", help="skip the store-level table")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP table")
    args = parser.parse_args()
    if not args.no_store:
        store_level.print_table(args.store_sizes, args.repeats)
        store_level.print_concurrent_table(args.store_sizes)
    if not args.no_http:
        http_table.print_table(args.sizes, args.modes.split(","), args.seconds)


if __name__ == "__main__":
    main()
