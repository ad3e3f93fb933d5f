"""Write the demo corpus as JSON Lines.

    python -m indexer.demo providers --n 1000 [--seed 7] [--today YYYY-MM-DD] [--out FILE.jsonl]
    python -m indexer.demo passages [--out FILE.jsonl]

Without --out (or with `--out -`) the records go to stdout. A file is written under a
temporary name and renamed when complete, so a failed run never leaves half a corpus.
Exit codes: 0 written; 1 the file could not be written; 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, NoReturn

from indexer.demo.passages import load_guide_passages
from indexer.demo.providers import MAX_PROVIDERS, MIN_PROVIDERS, OPENINGS_FROM, generate_providers

PROG = "python -m indexer.demo"
EXIT_WRITE_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    # One line instead of argparse's usage block: the message is what the user needs.
    # Sub-parsers are built with the parent's class, so they inherit this too.
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Write the demo corpus as JSON Lines.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    providers = commands.add_parser(
        "providers", help="generated provider records", description="generated provider records"
    )
    providers.add_argument(
        "--n",
        type=int,
        required=True,
        help=f"how many records, {MIN_PROVIDERS:,} to {MAX_PROVIDERS:,}",
    )
    providers.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    providers.add_argument(
        "--today",
        type=date.fromisoformat,
        default=OPENINGS_FROM,
        help=f"the day next openings count from (default {OPENINGS_FROM.isoformat()})",
    )
    providers.add_argument("--out", default="-", help="output file (default: stdout)")
    passages = commands.add_parser("passages", help="the guide passages", description="the guide passages")
    passages.add_argument("--out", default="-", help="output file (default: stdout)")
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    if args.command == "providers" and not MIN_PROVIDERS <= args.n <= MAX_PROVIDERS:
        raise UsageError(f"--n must be between {MIN_PROVIDERS:,} and {MAX_PROVIDERS:,}, got {args.n:,}")
    if args.out != "-" and not Path(args.out).parent.is_dir():
        raise UsageError(f"--out: directory {str(Path(args.out).parent)!r} does not exist")
    return args


def records_for(args: argparse.Namespace) -> Iterable[dict[str, Any]]:
    if args.command == "providers":
        return generate_providers(args.n, seed=args.seed, today=args.today)
    return load_guide_passages()


def write_lines(records: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False))
        fh.write("\n")
        count += 1
    return count


def write_file(records: Iterable[dict[str, Any]], out: Path) -> int:
    """Write beside the target and rename, so readers never see a partial file. (Not
    tempfile.mkstemp: its 0600 mode would survive the rename; open() honours the umask.)"""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            count = write_lines(records, fh)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def write_stdout(records: Iterable[dict[str, Any]]) -> int:
    try:
        count = write_lines(records, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error. Point stdout at devnull so
        # the interpreter's final flush does not complain.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return count


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except UsageError as exc:
        print(f"{PROG}: error: {exc} (see --help)", file=sys.stderr)
        return EXIT_USAGE
    records = records_for(args)
    if args.out == "-":
        write_stdout(records)
        return 0
    try:
        count = write_file(records, Path(args.out))
    except OSError as exc:
        print(f"{PROG}: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    print(f"wrote {count:,} {args.command} to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
