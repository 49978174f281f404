"""A sample of tests/test_hostile_input.py's calls with the worker under valgrind (not collected by pytest).

Usage: python3 tests/hostile_valgrind.py [CALLS_PER_FUNCTION] [LOG_DIRECTORY]
Draws CALLS_PER_FUNCTION calls (default 4) for every exported function, runs them in one worker under
`valgrind --error-exitcode=99` with PYTHONMALLOC=malloc (so every cffi allocation is a malloc valgrind
tracks), and prints the calls made, the failures, and valgrind's errors whose stack goes through cffi or
csock (the others are CPython's own: a plain `python3 -c ...` under valgrind shows them too). Exit status
0 when none of those is more than a NULL pointer the kernel refused (EFAULT), and every call ended as the
test requires.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def main():
    per_function = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    log_dir = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join("build", "hostile-valgrind"))
    os.makedirs(log_dir, exist_ok=True)
    log = os.path.join(log_dir, "worker.%p.log")  # one per worker process: a restart must not overwrite
    os.environ["CSOCK_HOSTILE_WRAPPER"] = (f"valgrind --error-exitcode=99 --log-file={log} "
                                           "--suppressions=/dev/null --num-callers=30")
    os.environ["PYTHONMALLOC"] = "malloc"
    os.environ.setdefault("CSOCK_HOSTILE_REPLY_TIMEOUT", "300")

    from _pytest.outcomes import Failed
    from hypothesis import given, settings, strategies as st

    import test_hostile_input as t
    from hostile_pool import Worker

    worker = Worker()
    failures = []
    for name in t.IN_TABLE:
        fn = t.TABLE[name]
        if fn.own_child:
            continue

        @settings(max_examples=per_function, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(t.HealthCheck))
        @given(data=st.data())
        def sample(data):
            groups_specs, corrupted = t.draw_call(data, fn)
            outcome = worker.call(name, [s for g in groups_specs for s in g])
            try:
                t.check_outcome(name, fn, groups_specs, corrupted, outcome)
            except (AssertionError, Failed) as e:
                if "blocked until the watchdog" not in str(e):  # valgrind is slow: only timing may differ
                    failures.append(str(e)[:400])

        sample()
        print(f"{name}: {worker.calls} calls so far", flush=True)
    calls, restarts = worker.calls, worker.restarts
    worker.proc.stdin.close()
    status = worker.proc.wait(timeout=600)
    worker.proc = None
    errors = [e for f in sorted(os.listdir(log_dir)) for e in valgrind_errors(os.path.join(log_dir, f))]
    ours = [e for e in errors if any("_cffi" in line or "csock" in line for line in e)]
    null_to_kernel = [e for e in ours if e[0].startswith("Syscall param") and any("Address 0x0 " in l for l in e)]
    real = [e for e in ours if e not in null_to_kernel]
    print(f"{calls} calls, {restarts} worker restarts, valgrind exit status {status}")
    print(f"valgrind error contexts: {len(errors)}; through cffi/csock: {len(ours)}, of which NULL handed to a "
          f"syscall (the kernel answers EFAULT): {len(null_to_kernel)}; others: {len(real)}")
    for e in null_to_kernel + real:
        print("  " + " | ".join(line.strip() for line in e[:3]))
    print(f"valgrind logs: {log_dir} (contexts not through cffi/csock are CPython's own, as in a run of plain Python)")
    for f in failures:
        print("FAILURE:", f)
    return 0 if not real and not failures and restarts == 0 else 1


def valgrind_errors(path):
    """Each error context of a valgrind log, as its lines without the ==pid== prefix."""
    out = []
    for block in re.split(r"==\d+== \n", open(path).read()):
        lines = [line.split("== ", 1)[1] if "== " in line else line for line in block.strip().splitlines()]
        while lines and lines[0].startswith("Warning:"):  # e.g. "invalid file descriptor" glued on the next error
            lines = lines[1:]
        if lines and re.match(r"(Use of|Conditional|Syscall param|Invalid|Mismatched|Source and dest)", lines[0]):
            out.append(lines)
    return out


if __name__ == "__main__":
    sys.exit(main())
