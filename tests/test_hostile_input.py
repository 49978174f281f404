"""Every function csock exports, driven with hostile arguments in a child process that may crash.

For each callable in csock.__all__ (tests/hostile_table.py must know it), hypothesis draws valid
arguments and replaces one or two groups of them with hostile ones. Every call must end in a return
value (-1 and errno for a failing syscall; EBADF for a bad descriptor; never EFAULT for memory csock
allocated; no byte written past a buffer) or in TypeError / ValueError / OverflowError whose message
names the function and the argument. A call that kills the worker fails the test with the signal and
the call; the worker is restarted. The calls run in tests/hostile_worker.py, in its own network
namespace when the machine allows it, with stdin /dev/null and stdout /dev/null.
"""
import errno
import json
import os
import pickle
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import csock
from hostile_pool import Worker
from hostile_table import TABLE, is_bad_fd

EXPORTED = sorted(n for n in csock.__all__ if callable(getattr(csock, n)))
IN_TABLE = [n for n in EXPORTED if n in TABLE]
EXAMPLES = int(os.environ.get("CSOCK_HOSTILE_EXAMPLES", "40"))
HOSTILE_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                            suppress_health_check=list(HealthCheck))
ACCEPTED_ERRORS = ("TypeError", "ValueError", "OverflowError")
# Functions whose errors come from the C function they call, under that function's name.
REPORTED_AS = {"oserror": "strerror", "h_errno": "csock_h_errno"}


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


def render(spec):
    """The argument as a reader of the failure can rebuild it."""
    tag = spec[0]
    if tag == "v":
        value = spec[1]
        return repr(value) if len(repr(value)) < 120 else f"{repr(value)[:100]}...({len(value)} long)"
    if tag == "string":
        return f"{spec[1]!r} * {spec[2]}"
    return "<" + " ".join(map(str, spec)) + ">"


def render_call(name, specs):
    return f"csock.{name}({', '.join(render(s) for s in specs)})"


def names_argument(message, func, params):
    """The message says which function and which of `params` (or which numbered argument) it is about."""
    if func not in message:
        return False
    return any(re.search(r"(?<![A-Za-z0-9_])" + re.escape(p) + r"(?![A-Za-z0-9_])", message) for p in params) \
        or re.search(r"\bargument \d+\b", message) is not None


def check_outcome(name, fn, groups_specs, corrupted, outcome):
    """Fails with the call when the outcome is a crash, a hang, damage, an unnamed error or a wrong errno."""
    specs = [s for g in groups_specs for s in g]
    call = render_call(name, specs)
    kind = outcome[0]
    if kind == "crash":
        status = outcome[1]
        what = f"signal {-status}" if status < 0 else f"exit status {status}"
        pytest.fail(f"the worker died ({what}) in {call}\n--- worker stderr ---\n{outcome[2]}")
    if kind == "hang":
        pytest.fail(f"no answer within {outcome[1]} s from {call}\n--- worker stderr ---\n{outcome[2]}")
    if kind == "setup":
        pytest.fail(f"test bug: the worker could not build the arguments of {call}: {outcome[1]}: {outcome[2]}")
    damaged = outcome[-1]
    assert not damaged, f"{call} wrote past its buffer: {damaged}"
    hostile_names = [n for i in corrupted for n in fn.groups[i].names]
    if kind == "exc":
        _, typ, message, _ = outcome
        if fn.not_callable:
            assert typ == "TypeError" and "not callable" in message, f"{call}: {typ}: {message}"
            return
        assert corrupted, f"{call}: valid arguments raised {typ}: {message}"
        assert typ in ACCEPTED_ERRORS, f"{call} raised {typ}: {message}"
        params = hostile_names if len(corrupted) == 1 else fn.params
        params = ["format", "argument"] if name == "printf" else params
        assert names_argument(message, REPORTED_AS.get(name, name), params), \
            f"{call}: {typ} message does not name the function and one of {params}: {message!r}"
        return
    _, result, err, alarmed, _ = outcome
    assert not fn.not_callable, f"{call} is not a function but returned {result}"
    value = result[2] if result[0] == "py" else None
    if alarmed:
        assert fn.blocking, f"{call} blocked until the watchdog (0.2 s): it must not block"
    if fn.syscall and value == -1:
        assert err != 0, f"{call} returned -1 without errno"
        uses_null = any(s[0] == "null" for s in specs)
        assert err != errno.EFAULT or uses_null, f"{call}: EFAULT: the kernel was given memory csock should have refused"
    if fn.fd and len(corrupted) == 1 and hostile_names == [fn.fd]:
        fd_spec = specs[fn.params.index(fn.fd)]
        if is_bad_fd(fd_spec):
            assert (value, err) == (-1, errno.EBADF), f"{call} with a bad descriptor gave {result}, errno {err}"


def draw_call(data, fn):
    n = len(fn.groups)
    corrupted = data.draw(st.sets(st.integers(0, n - 1), max_size=min(2, n)), label="corrupted groups") if n else set()
    groups_specs = [data.draw(g.hostile if i in corrupted else g.valid, label=",".join(g.names) or "()")
                    for i, g in enumerate(fn.groups)]
    return groups_specs, sorted(corrupted)


def test_table_covers_every_exported_callable():
    missing = [n for n in EXPORTED if n not in TABLE]
    if sys.platform == "win32":  # the Winsock names are added by another part of the project
        if missing:
            print("exported but not in tests/hostile_table.py:", missing)
        return
    assert not missing, f"no hostile strategies for {missing}: add them to tests/hostile_table.py"


@pytest.mark.parametrize("name", [n for n in IN_TABLE if not TABLE[n].own_child])
def test_hostile_arguments(name, worker):
    fn = TABLE[name]

    @HOSTILE_SETTINGS
    @given(data=st.data())
    def hostile(data):
        groups_specs, corrupted = draw_call(data, fn)
        outcome = worker.call(name, [s for g in groups_specs for s in g])
        check_outcome(name, fn, groups_specs, corrupted, outcome)

    hostile()


@pytest.mark.parametrize("name", [n for n in IN_TABLE if not TABLE[n].own_child and n != "printf"])
def test_too_many_arguments(name, worker):
    """One argument more than C takes: TypeError naming the function (never a call with garbage)."""
    fn = TABLE[name]
    specs = [("v", 0)] * (len(fn.params) + 1 + (name == "fcntl"))
    outcome = worker.call(name, specs)
    assert outcome[0] == "exc" and outcome[1] == "TypeError", f"{render_call(name, specs)}: {outcome}"
    if not fn.not_callable:
        assert name in outcome[2] or REPORTED_AS.get(name, name) in outcome[2], f"{render_call(name, specs)}: the message does not name it: {outcome[2]!r}"


EXIT_CHILD = """
import json, pickle, sys
sys.path.insert(0, {here!r})
import csock, hostile_worker
arg = hostile_worker.build(hostile_worker.Call(), pickle.loads(bytes.fromhex(sys.argv[1])))
try:
    csock.exit(arg)
except BaseException as e:
    print(json.dumps([type(e).__name__, str(e)]), flush=True)
    raise SystemExit(0)
"""


@pytest.mark.skipif("exit" not in EXPORTED, reason="csock exports no exit")
@settings(max_examples=12, deadline=None, database=None)
@given(status=st.one_of(TABLE["exit"].groups[0].valid, TABLE["exit"].groups[0].hostile))
@example(status=(("v", 1 << 31),))
@example(status=(("v", "1"),))
@example(status=(("v", 7),))
def test_exit_in_its_own_child(status):
    spec = status[0]
    code = EXIT_CHILD.format(here=os.path.dirname(os.path.abspath(__file__)))
    proc = subprocess.run([sys.executable, "-c", code, pickle.dumps(spec).hex()], stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=60)
    call = render_call("exit", [spec])
    assert not proc.stderr, f"{call}: the child failed: {proc.stderr[-2000:]!r}"
    assert proc.returncode >= 0, f"{call} killed the child with signal {-proc.returncode}: {proc.stderr[-2000:]!r}"
    if proc.stdout:
        typ, message = json.loads(proc.stdout)
        assert typ in ACCEPTED_ERRORS and names_argument(message, "exit", ["status"]), f"{call}: {typ}: {message}"
    else:
        value = spec[1] if spec[0] == "v" else spec[2] if spec[0] == "cast" and spec[1] != "double" else None
        assert type(value) is int and -(1 << 31) <= value < (1 << 31), f"{call} exited ({proc.returncode}) silently"
        assert proc.returncode == value & 0xFF, f"{call} exited with {proc.returncode}"
