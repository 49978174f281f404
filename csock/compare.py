"""Proof that the Python ports behave as the book's C programs: `python -m csock.compare`.

Builds the originals (make -C csrc), checks the line rule of every port pair, then runs each scenario
of csock.echo_runs.SCENARIOS with every pairing (C or Python server x C or Python client), each in
its own network namespace, and prints per scenario whether stdout, stderr, exit statuses, bytes
received and syscalls are identical, with the first difference when not. Exit status 0 when all are.

`python -m csock.compare --side-by-side Linux/echo_server.py` prints a C file and its port in two
aligned columns with line numbers.
"""
import argparse
import os
import sys
import unicodedata
from concurrent.futures import ThreadPoolExecutor

from . import echo_runs, line_rule


def scenario_verdict(scenario, results):
    """(ok, text) for one scenario from {(server_impl, client_impl): ScenarioResult}."""
    keys = list(results)
    reference_key = keys[0]
    reference = results[reference_key]
    for key in keys[1:]:
        found = echo_runs.first_difference(reference, results[key], scenario.undefined_in_c)
        if found:
            return False, (f"DIFFERENT: {echo_runs.pairing_name(*reference_key)} vs "
                           f"{echo_runs.pairing_name(*key)}: {found}")
    what = f"{len(keys)} pairings" if scenario.servers else f"{len(keys)} clients"
    if not scenario.undefined_in_c:
        return True, f"identical ({what}: stdout, stderr, exit status, bytes received, syscalls)"
    problems = []
    for (server_impl, client_impl), result in results.items():
        problems += echo_runs.undefined_behaviour_problems(result, client_impl, scenario.stdin)
    if problems:
        return False, "DIFFERENT from ERRATA: " + "; ".join(dict.fromkeys(problems))
    return True, (f"identical ({what}) up to the client's printf; then, as documented, "
                  f"{scenario.undefined_in_c}")


def run_all(jobs=4, scenarios=echo_runs.SCENARIOS):
    """{scenario name: {(server_impl, client_impl): ScenarioResult}}, the runs spread over jobs threads."""
    tasks = [(sc, s, c) for sc in scenarios for s, c in echo_runs.pairings(sc)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(echo_runs.run_book_scenario, sc, s, c) for sc, s, c in tasks]
        done = [f.result() for f in futures]
    results = {sc.name: {} for sc in scenarios}
    for (sc, s, c), result in zip(tasks, done):
        results[sc.name][(s, c)] = result
    return results


# --- two columns -----------------------------------------------------------------------------------

def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text, width):
    """text cut and padded to exactly width terminal cells."""
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - (1 if used + w < _width(text) else 0):
            out.append("…")
            used += 1
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


def pair_of(name):
    """(C path, Python path) for a .c, a .py or a program name such as echo_server or Windows/echo_client."""
    stem = os.path.splitext(os.path.basename(name))[0]
    folder = os.path.basename(os.path.dirname(os.path.abspath(name))) if os.sep in name or "/" in name else ""
    for c_path, py_path in line_rule.port_pairs():
        path = c_path or py_path
        if os.path.splitext(os.path.basename(path))[0] != stem:
            continue
        if folder and folder not in path.split(os.sep):
            continue
        return c_path, py_path
    raise SystemExit(f"--side-by-side: no port pair named {name!r} "
                     f"(pairs: {', '.join(os.path.relpath(p or q, line_rule.REPO) for p, q in line_rule.port_pairs())})")


def side_by_side(name, column=None):
    c_path, py_path = pair_of(name)
    sides = []
    for path in (c_path, py_path):
        if path is None:
            sides.append([])
            continue
        with open(path, encoding="utf-8") as f:
            sides.append([line.expandtabs(4) for line in f.read().split("\n")])
        if sides[-1] and sides[-1][-1] == "":
            sides[-1].pop()
    c_lines, py_lines = sides
    if column is None:
        column = min(max((_width(line) for line in c_lines), default=10), 84)
    rel = lambda p: os.path.relpath(p, line_rule.REPO) if p else "(missing)"
    out = [f"     {_fit(rel(c_path), column)} | {rel(py_path)}", f"     {'-' * column} | {'-' * 40}"]
    for number in range(1, max(len(c_lines), len(py_lines)) + 1):
        c = c_lines[number - 1] if number <= len(c_lines) else ""
        py = py_lines[number - 1] if number <= len(py_lines) else ""
        out.append(f"{number:3}  {_fit(c, column)} | {py}".rstrip())
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m csock.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--side-by-side", metavar="FILE",
                        help="print FILE's C original and Python port in two columns (e.g. Linux/echo_server.py)")
    parser.add_argument("--jobs", type=int, default=4, help="scenario runs at once (default 4)")
    args = parser.parse_args(argv)
    if args.side_by_side:
        try:
            print(side_by_side(args.side_by_side))
        except BrokenPipeError:  # piped into head: the reader has seen enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

    ok = True
    try:
        echo_runs.prepare()
    except echo_runs.ToolMissing as e:
        print(f"cannot run the scenarios: {e}", file=sys.stderr)
        return 2
    print(f"built the originals: make -C csrc -> {os.path.relpath(echo_runs.C_BUILD_DIR, line_rule.REPO)}/")
    problems = line_rule.check_repository()
    pairs = line_rule.port_pairs()
    if problems:
        ok = False
        print(f"line rule: {len(problems)} of {len(pairs)} port pairs break it")
        for problem in problems:
            print("  " + problem.replace("\n", "\n  "))
    else:
        print(f"line rule: all {len(pairs)} port pairs keep it (line N of the .py ports line N of the .c)")
    print()
    results = run_all(args.jobs)
    width = max(len(sc.name) for sc in echo_runs.SCENARIOS)
    for scenario in echo_runs.SCENARIOS:
        good, text = scenario_verdict(scenario, results[scenario.name])
        ok = ok and good
        print(f"{scenario.name:{width}}  {text}")
        print(f"{'':{width}}  ({scenario.description})")
    c, py, problems = echo_runs.missing_port_problems()
    ok = ok and not problems
    print(f"{'no-port':{width}}  " + ("DIFFERENT from ERRATA: " + "; ".join(problems) if problems else
          f"differs as documented: C {c.outcome()} (atoi(NULL) after socket()); the port prints "
          f"{py.stderr.decode().strip()!r} and exits {py.status} before any socket()"))
    print(f"{'':{width}}  (the server started without a port: csrc/ERRATA.md #1)")
    print()
    print("all identical, or different only where csrc/ERRATA.md says" if ok else "DIFFERENCES FOUND")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
