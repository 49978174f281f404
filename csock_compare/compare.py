"""Proof that Python ports behave as their C programs: `python -m csock.compare [DESCRIPTION.toml ...]`.

For each description (default: every one in the checkout's descriptions/<this OS>/; the format:
docs/DESCRIPTIONS.md) it builds the C programs, checks the line rule of every described pair, then runs each
scenario of the "compare" group in every side assignment (C or port for each crossed program), each in its own
network namespace under strace, and prints per scenario whether exit statuses, stdout, stderr, bytes received
and syscalls are identical, the first difference when not, or the documented erratum. Exit status 0 when all are
identical or differ only as documented.

`--side-by-side NAME` prints a C file and its port in two aligned columns (NAME: a description, or a .py/.c
such as Linux/echo_server.py).
"""
import argparse
import os
import sys

from . import description, line_rule, listing, report, runner


def descriptions_of(paths):
    if not paths:
        folder = os.path.join(description.default_folder(), description.this_os())
        paths = description.find_descriptions(folder)
    cache = {}
    return [description.load(path, cache) for path in paths]


def scenarios_of(descriptions, group, names=None):
    found = [s for d in descriptions for s in d.scenarios if group in s.groups and (not names or s.name in names)]
    if names and len({s.name for s in found}) < len(set(names)):
        raise SystemExit(f"no {group} scenario named {', '.join(sorted(set(names) - {s.name for s in found}))}")
    return found


def named_scenarios(folder, group, leave_out=()):
    """{"description-scenario": Scenario} of the group in every description under folder (but the file names in
    leave_out): what a test module parametrizes over."""
    described = descriptions_of([p for p in description.find_descriptions(folder)
                                 if os.path.basename(p) not in leave_out])
    return {f"{os.path.splitext(os.path.basename(d.path))[0]}-{s.name}": s
            for d in described for s in d.scenarios if group in s.groups}


def judged(scenario):
    """(Verdict, [ScenarioResult]) of every side assignment of scenario, run one after the other."""
    results = [runner.run(scenario, sides) for sides in scenario.runs()]
    return report.verdict(scenario, results), results


def scenario_line(scenario, results):
    """(ok, text) of one scenario as compare prints it."""
    found = report.verdict(scenario, results)
    runs = f"{len(results)} runs" if len(results) > 1 else "1 run"
    if found.kind == report.SAME and not scenario.observe:
        return True, (f"identical ({runs}: exit status, stdout, stderr, bytes received, syscalls)"
                      + found.text[len("same"):])
    return found.ok, found.text


def check_line_rule(descriptions):
    programs = [p for d in descriptions for p in d.uses]
    problems = line_rule.check_programs(programs)
    pairs = len({p.c for p in programs})
    if problems:
        print(f"line rule: {len(problems)} of {pairs} port pairs break it")
        for problem in problems:
            print("  " + problem.replace("\n", "\n  "))
    else:
        print(f"line rule: all {pairs} port pairs keep it (line N of the .py ports line N of the .c)")
    return not problems


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m csock.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("descriptions", nargs="*", metavar="DESCRIPTION.toml",
                        help="descriptions to run (default: descriptions/<this OS>/ of the checkout)")
    parser.add_argument("--side-by-side", metavar="NAME",
                        help="print NAME's C original and Python port in two columns (e.g. Linux/echo_server.py)")
    parser.add_argument("--scenario", action="append", help="run only this scenario (repeatable)")
    parser.add_argument("--jobs", type=int, default=4, help="runs at once (default 4)")
    args = parser.parse_args(argv)
    try:
        if args.side_by_side:
            try:
                print(listing.side_by_side(listing.find_program(args.side_by_side, args.descriptions or None)))
            except BrokenPipeError:  # piped into head: the reader has seen enough
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        descriptions = descriptions_of(args.descriptions)
    except description.DescriptionError as e:
        print(f"csock.compare: {e}", file=sys.stderr)
        return 2
    here = [d for d in descriptions if d.program.os == description.this_os()]
    for d in descriptions:
        if d not in here:
            print(f"{d.path}: its programs run on {d.program.os} (tests/windows/run): line rule only")
    try:
        runner.prepare(here)
    except runner.ToolMissing as e:
        print(f"cannot run the scenarios: {e}", file=sys.stderr)
        return 2
    print("built: " + ", ".join(dict.fromkeys(" ".join(p.build) for d in here for p in d.uses)))
    ok = check_line_rule(descriptions)
    print()
    scenarios = scenarios_of(here, "compare", args.scenario)
    results = runner.run_all(scenarios, args.jobs)
    width = max((len(s.name) for s in scenarios), default=0)
    for d in here:
        mine = [s for s in d.scenarios if s in results]
        if mine:  # a heading per program: every description has its bad-argv-1
            print(f"{d.program.name} ({os.path.relpath(d.path)}):")
        for scenario in mine:
            good, text = scenario_line(scenario, results[scenario])
            ok = ok and good
            print(f"  {scenario.name:{width}}  {text}")
            print(f"  {'':{width}}  ({scenario.about})")
    print()
    print("all identical, or different only where the errata say" if ok else "DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
