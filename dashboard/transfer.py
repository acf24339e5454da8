"""The `liteboard import` and `liteboard export` commands: TensorBoard logdirs in, rows out.

    liteboard import TB_LOGDIR LOGDIR
    liteboard export LOGDIR --format csv|json|parquet [--run REGEX] [--tag REGEX] [--out FILE]

Each prints what it did in one line; a problem is one line naming the file (and the
byte offset of a damaged record), and a usage error or a missing extra is one line
and exit code 2. Their optional dependencies load only when they run.
"""

import os
import sys

from tracker.errors import TrackerError

COMMANDS = ("import", "export")


def add_parsers(commands):
    """Add the two commands to the `liteboard` parser's subparsers."""
    from tracker.interop.export import FORMATS

    imp = commands.add_parser("import", help="convert TensorBoard event files into liteboard runs")
    imp.add_argument("tb_logdir", metavar="TB_LOGDIR", help="the TensorBoard logdir to read")
    imp.add_argument("logdir", metavar="LOGDIR", help="the liteboard logdir to write the runs into")
    exp = commands.add_parser("export", help="write every scalar point as long-format rows")
    exp.add_argument("logdir", metavar="LOGDIR", help="the liteboard logdir to read")
    exp.add_argument("--format", choices=FORMATS, default="csv", help="output format (default: csv)")
    exp.add_argument("--run", metavar="REGEX", help="only runs whose name matches (RE2, any case)")
    exp.add_argument("--tag", metavar="REGEX", help="only tags that match (RE2, any case)")
    exp.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output; "
                                                   "parquet needs a FILE)")


def run(args):
    """Run the parsed command; its exit code."""
    try:
        return import_command(args) if args.command == "import" else export_command(args)
    except (TrackerError, OSError) as exc:  # a missing extra, an unreadable directory, a full disk
        print(f"liteboard {args.command}: {exc}", file=sys.stderr)
        return 2


def import_command(args):
    from tracker.interop import tb_import

    report = tb_import.import_logdir(args.tb_logdir, args.logdir)
    for problem in report.problems:
        print(f"liteboard import: {problem}", file=sys.stderr)
    print(f"liteboard import: {report.summary()}", flush=True)
    return 0


def export_command(args):
    from dashboard.web.params import compile_regex
    from tracker.interop import export

    patterns = {}
    for flag in ("run", "tag"):
        pattern = getattr(args, flag)
        try:
            patterns[flag] = None if pattern is None else compile_regex(pattern)
        except ValueError as exc:
            print(f"liteboard export: --{flag} {pattern!r} is not a valid regular expression: {exc}",
                  file=sys.stderr)
            return 2
    if not os.path.isdir(args.logdir):
        print(f"liteboard export: LOGDIR '{args.logdir}' is not a directory", file=sys.stderr)
        return 2
    if args.format == "parquet" and not args.out:
        print("liteboard export: --format parquet writes a binary file: give it --out FILE",
              file=sys.stderr)
        return 2
    series = export.scalar_series(args.logdir, patterns["run"], patterns["tag"])
    if args.out is None:
        count = export.write(series, args.format, sys.stdout)
    elif args.format == "parquet":
        count = export.write(series, args.format, args.out)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            count = export.write(series, args.format, out)
    if args.out is not None:
        print(f"liteboard export: wrote {count:,} rows to {args.out}", flush=True)
    return 0
