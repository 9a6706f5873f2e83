"""Command line: ``python -m fastrelu {bench,info} [...]``."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m fastrelu",
        description="fastrelu: the ReLU family of activation functions as NumPy ufuncs.")
    sub = parser.add_subparsers(dest="command", metavar="{bench,info}")
    from . import _bench  # light: NumPy and the spec only

    bench = sub.add_parser(
        "bench", help="speed table: fastrelu vs the best plain NumPy expression",
        **_bench.PARSER_TEXT)
    _bench.add_arguments(bench)
    sub.add_parser("info", help="versions, build flags and the loops of every function")

    args = parser.parse_args(argv)
    if args.command == "bench":
        return _bench.exit_code(_bench.run_args(args))
    if args.command == "info":
        import fastrelu
        fastrelu.show_config()
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
