"""The fault matrix: C programs and their ports side by side where programs go wrong: `python -m csock.faults`.

Runs every scenario of the "faults" group of the descriptions (default: the checkout's descriptions/<this OS>/)
for the C original and for the port (the program under test; its peers are the same on both sides), each run in
its own network namespace, and prints one table row per case: what became of each process for C and for the
port, and whether the two are the same, differ only as the scenario's errata document, or differ.

`--verbose` (or `--case NAME`) prints each process in full. `--write-errata [FILE]` also puts the table between
the fault-matrix markers of FILE (default: csrc/ERRATA.md beside the descriptions folder); nothing is written
without it.
"""
import argparse
import os
import sys
import time

from . import description, report, runner
from .compare import descriptions_of, scenarios_of

ERRATA_BEGIN = "<!-- fault-matrix:begin (python -m csock.faults --write-errata) -->\n"
ERRATA_END = "<!-- fault-matrix:end -->\n"


def table(scenarios, results):
    """The matrix as a Markdown table, and whether every case is the same or documented."""
    rows = ["| case | C | Python | same? |", "|---|---|---|---|"]
    ok = True
    for scenario in scenarios:
        found = report.verdict(scenario, results[scenario])
        ok = ok and found.ok
        c, py = report.fate(results[scenario][0]), report.fate(results[scenario][-1])
        same = "yes" if found.kind == report.SAME and not scenario.observe else found.text
        if scenario.observe and found.ok:
            same = f"yes (counts are speed, not fate: errata.{scenario.observe})"
        rows.append(f"| {scenario.name} | {c} | {'= C' if c == py and found.kind == report.SAME else py} | {same} |"
                    .replace("\n", " "))
    return "\n".join(rows), ok


def write_errata(block, path):
    """Replace the text between the fault-matrix markers of path with block."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    start, end = text.index(ERRATA_BEGIN) + len(ERRATA_BEGIN), text.index(ERRATA_END)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text[:start] + block + text[end:])


def default_errata():
    return os.path.join(os.path.dirname(description.default_folder()), "csrc", "ERRATA.md")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m csock.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("descriptions", nargs="*", metavar="DESCRIPTION.toml")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every process in full after the table")
    parser.add_argument("--jobs", type=int, default=4, help="runs at once (default 4)")
    parser.add_argument("--write-errata", nargs="?", const="", metavar="FILE",
                        help="also put the table into FILE (default csrc/ERRATA.md; all cases only)")
    args = parser.parse_args(argv)
    try:
        descriptions = descriptions_of(args.descriptions)
        runner.prepare(descriptions)
    except description.DescriptionError as e:
        print(f"csock.faults: {e}", file=sys.stderr)
        return 2
    except runner.ToolMissing as e:
        print(f"cannot run the fault cases: {e}", file=sys.stderr)
        return 2
    scenarios = scenarios_of(descriptions, "faults", args.case)
    started = time.monotonic()
    results = runner.run_all(scenarios, args.jobs)
    text, ok = table(scenarios, results)
    summary = (f"{len(scenarios)} cases x 2 implementations in {time.monotonic() - started:.0f} s: "
               + ("every case the same or differing only as the errata document" if ok else "DIFFERENCES FOUND"))
    print(text)
    print()
    print(summary)
    if args.write_errata is not None:
        if args.case:
            parser.error("--write-errata needs every case (no --case)")
        path = args.write_errata or default_errata()
        write_errata(f"{text}\n\n`{summary}`\n", path)
        print(f"wrote the table into {path}")
    if args.verbose or args.case:
        for scenario in scenarios:
            print()
            print(report.details(scenario, results[scenario]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
