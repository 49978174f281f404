"""bench/run.py works end to end on a tiny run: every server of both interpreters echoes, every figure is measured and
written, and every server process it started is gone when it returns.

No timing is asserted: the figures of a run this small (and on a busy CI machine) mean nothing. Nor is any wait of
the run tight: run.py waits --patience 10 times its quiet-machine bounds for a server (more at a higher load), so a
machine at load 20 passes, while a server that never listens, never answers or ignores SIGTERM still fails. The PyPy
rows need
the PyPy venv that tests/pypy/run makes; the CPython suite runs before that leg, so they are skipped there, and the leg
runs this file again with CSOCK_BENCH_REQUIRE_PYPY=1, where a missing PyPy row fails.
"""
import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYPY = os.path.join(ROOT, ".venv-pypy", "bin", "python")
REQUIRE_PYPY = os.environ.get("CSOCK_BENCH_REQUIRE_PYPY") == "1"
IS_CPYTHON = sys.implementation.name == "cpython"
# The C-API floor only where run.py can build it (this CPython's Python.h, as run.py checks).
HAS_PYTHON_H = os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
CPYTHON_SERVERS = {"csock", "stdlib", "ctypes", "cffi"} | ({"capi"} if HAS_PYTHON_H else set())
PYPY_SERVERS = {"pypy-csock", "pypy-stdlib", "pypy-ctypes", "pypy-cffi"}
CALLCOST_SERVERS = {"c", "csock", "stdlib", "ctypes", "pypy-csock", "pypy-stdlib", "pypy-ctypes"}  # not the floors
CALLGRIND_SERVERS = ["c", "csock", "cffi", "pypy-csock"]  # PyPy starts slowly under valgrind: one of its servers
METRICS = ["conn_per_s", "cpu_us_per_conn", "peak_rss_mib", "lat_mean_us", "lat_p99_us", "htons_ns",
           "write_read_1024_ns"]

pytestmark = [
    pytest.mark.skipif(shutil.which("cc") is None or shutil.which("make") is None,
                       reason="the benchmark builds C programs"),
    pytest.mark.skipif(not IS_CPYTHON, reason="bench/run.py runs on CPython and starts the PyPy servers itself"),
]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """One tiny run of every server: (summary by (server, metric), table text, stdout, stderr, servers run)."""
    out_dir = tmp_path_factory.mktemp("bench")
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("PYTHONUNBUFFERED", None)
    with_callgrind = shutil.which("valgrind") is not None
    command = [sys.executable, os.path.join(ROOT, "bench", "run.py"), "--connections", "40", "--warmup", "5",
               "--pypy-warmup", "50", "--repeats", "2", "--callgrind-connections", "20" if with_callgrind else "0",
               "--callgrind-servers", ",".join(CALLGRIND_SERVERS), "--callcost-loops", "2000",
               "--callcost-seconds", "0.01", "--patience", "10", "--verbose", "--out", str(out_dir)]
    # Its own session: on the backstop timeout (run.py's own waits should fail first) its servers go with it.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            text=True, env=env, cwd=ROOT, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=2400)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("bench/run.py was still running after 40 minutes")
    out = subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)
    assert out.returncode == 0, out.stderr[-3000:]
    with open(out_dir / "summary.csv") as f:
        summary = {(row["server"], row["metric"]): row for row in csv.DictReader(f)}
    with open(out_dir / "runs.csv") as f:
        servers = {row["server"] for row in csv.DictReader(f)}
    return summary, (out_dir / "table.txt").read_text(), out, with_callgrind, servers


def target_lines(table):
    """The target lines under the table's "Targets of issue 12" heading: {target: verdict}, and the count line."""
    lines = table.split("Targets of issue 12", 1)[1].splitlines()[1:]
    verdicts = {}
    for line in lines[:-1]:
        target, verdict = re.fullmatch(r"  (.+): (met|MISSED|not measured)", line).groups()
        verdicts[target] = verdict
    return verdicts, lines[-1]


def check_targets(table, prefix, expected, with_callgrind):
    """Every target of issue 12 for prefix ("CPython csock" or "PyPy csock"): its 2 or 3 bounds and the 6 rivals'
    comparisons, each judged met or MISSED, or not measured exactly where an instruction count was not taken (callgrind
    counts csock, the raw-cffi floor and C here, not the stdlib and ctypes servers); then a true count line."""
    verdicts, count = target_lines(table)
    mine = {t: v for t, v in verdicts.items() if t.startswith(prefix)}
    assert len(mine) == expected, mine
    for target, verdict in mine.items():
        measured = "instructions" not in target or (with_callgrind and "stdlib" not in target
                                                    and "ctypes" not in target)
        assert (verdict != "not measured") == measured, (target, verdict)
    met, total = re.fullmatch(r"  (\d+) of (\d+) targets met, \d+ missed.*", count).group(1, 2)
    assert int(total) == len(verdicts) and int(met) == sum(v == "met" for v in verdicts.values()), count


def check_rows(summary, names, with_callgrind):
    for server in names:
        for metric in METRICS:
            if metric.endswith("_ns") and server not in CALLCOST_SERVERS:
                assert (server, metric) not in summary, (server, metric)
                continue
            assert (server, metric) in summary, (server, metric)
        counted = with_callgrind and server in CALLGRIND_SERVERS
        assert ((server, "ir_per_conn") in summary) == counted, server
        for metric in ("conn_per_s", "cpu_us_per_conn", "peak_rss_mib") + (("ir_per_conn",) if counted else ()):
            assert float(summary[(server, metric)]["median"]) > 0, (server, metric)
        assert summary[(server, "conn_per_s")]["runs"] == "2"


def test_tiny_run_measures_every_cpython_server_and_stops_them(tiny_run):
    summary, table, out, with_callgrind, servers = tiny_run
    check_rows(summary, {"c"} | CPYTHON_SERVERS, with_callgrind)
    assert float(summary[("c", "conn_per_s")]["ratio_to_c"]) == 1.0
    assert out.stdout.strip() == table.strip()
    for label in ("C ", "CPython csock", "CPython stdlib", "CPython ctypes", "Reference floors",
                  "Targets of issue 12", "CPython csock, user-space instructions / connection",
                  "floor: CPython raw cffi") + (("floor: CPython C-API",) if HAS_PYTHON_H else ()):
        assert label in table
    assert {"c"} | CPYTHON_SERVERS <= servers
    check_targets(table, "CPython csock", 8, with_callgrind)
    # Every server x 2 runs, plus 2 callgrind runs per counted server; each one's pid must be gone (reaped) by now.
    assert "killed:" not in out.stderr, out.stderr  # every server stopped on SIGTERM
    pids = [int(p) for p in re.findall(r"server pid (\d+): (?!killed)", out.stderr)]
    counted = [s for s in CALLGRIND_SERVERS if s in servers] if with_callgrind else []
    assert len(pids) == 2 * len(servers) + 2 * len(counted), out.stderr
    assert [pid for pid in pids if os.path.exists(f"/proc/{pid}")] == []


def test_tiny_run_measures_every_pypy_server(tiny_run):
    summary, table, out, with_callgrind, servers = tiny_run
    if not os.path.exists(PYPY):
        if REQUIRE_PYPY:
            pytest.fail(f"no PyPy venv at {PYPY}: tests/pypy/run makes it")
        pytest.skip("no PyPy venv (.venv-pypy): tests/pypy/run makes it, then runs this test again")
    assert PYPY_SERVERS <= servers, out.stderr[-3000:]
    check_rows(summary, PYPY_SERVERS, with_callgrind)
    check_targets(table, "PyPy csock", 9, with_callgrind)
    for label in ("PyPy csock", "PyPy stdlib", "PyPy ctypes", "floor: PyPy raw cffi",
                  "PyPy csock, connections/s", "PyPy csock, server CPU", "PyPy csock, user-space instructions"):
        assert label in table
    if with_callgrind:  # JIT code is counted only with --smc-check=all-non-file
        assert re.search(r"server pid \d+: valgrind .*--smc-check=all-non-file .*\.venv-pypy", out.stderr)
