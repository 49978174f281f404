"""bench/run.py works end to end on a tiny run: every server echoes, every figure is measured and written, and
every server process it started is gone when it returns.

No timing is asserted: the figures of a run this small (and on a busy CI machine) mean nothing.
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The floors too; the C-API one only where run.py can build it (the interpreter's Python.h, as run.py checks).
HAS_PYTHON_H = os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))
SERVERS = {"c", "csock", "stdlib", "ctypes", "cffi"} | ({"capi"} if HAS_PYTHON_H else set())
CALLCOST_SERVERS = {"c", "csock", "stdlib", "ctypes"}  # no per-call timing for the floors

pytestmark = pytest.mark.skipif(shutil.which("cc") is None or shutil.which("make") is None,
                                reason="the benchmark builds C programs")


def test_tiny_run_measures_every_server_and_stops_them(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("PYTHONUNBUFFERED", None)
    with_callgrind = shutil.which("valgrind") is not None
    out = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "run.py"), "--connections", "40", "--warmup", "5",
         "--repeats", "2", "--callgrind-connections", "20" if with_callgrind else "0", "--callcost-loops", "2000",
         "--verbose", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=150, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]

    with open(tmp_path / "summary.csv") as f:
        summary = {(row["server"], row["metric"]): row for row in csv.DictReader(f)}
    metrics = ["conn_per_s", "cpu_us_per_conn", "lat_mean_us", "lat_p99_us", "htons_ns", "write_read_1024_ns"]
    if with_callgrind:
        metrics.append("ir_per_conn")
    for server in SERVERS:
        for metric in metrics:
            if metric.endswith("_ns") and server not in CALLCOST_SERVERS:
                assert (server, metric) not in summary, (server, metric)
                continue
            assert (server, metric) in summary, (server, metric)
        for metric in ("conn_per_s", "cpu_us_per_conn") + (("ir_per_conn",) if with_callgrind else ()):
            assert float(summary[(server, metric)]["median"]) > 0, (server, metric)
        assert summary[(server, "conn_per_s")]["runs"] == "2"
    assert float(summary[("c", "conn_per_s")]["ratio_to_c"]) == 1.0

    table = (tmp_path / "table.txt").read_text()
    assert out.stdout.strip() == table.strip()
    for label in ("C ", "csock", "stdlib", "ctypes", "Targets for Linux/echo_server.py", "Reference floors",
                  "floor: raw cffi (no checks): conn/s") + (("floor: C-API",) if HAS_PYTHON_H else ()):
        assert label in table
    with open(tmp_path / "runs.csv") as f:
        assert {row["server"] for row in csv.DictReader(f)} == SERVERS

    # Every server x 2 runs, plus 2 callgrind runs per server; each one's pid must be gone (reaped) by now.
    pids = [int(p) for p in re.findall(r"server pid (\d+):", out.stderr)]
    assert len(pids) == 2 * len(SERVERS) + (2 * len(SERVERS) if with_callgrind else 0), out.stderr
    assert [pid for pid in pids if os.path.exists(f"/proc/{pid}")] == []
