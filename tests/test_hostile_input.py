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
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import csock
from hostile_pool import Worker
from hostile_table import TABLE, is_bad_fd

EXPORTED = sorted(n for n in csock.__all__ if callable(getattr(csock, n)))
IN_TABLE = [n for n in EXPORTED if n in TABLE]
EXAMPLES = int(os.environ.get("CSOCK_HOSTILE_EXAMPLES", "100"))  # per function: about 30 s in all
HOSTILE_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                            suppress_health_check=list(HealthCheck))
ACCEPTED_ERRORS = ("TypeError", "ValueError", "OverflowError")
BAD_DESCRIPTOR = getattr(csock, "WSAENOTSOCK", errno.EBADF)  # what errno() says for a number that is no descriptor
BAD_ADDRESS = {errno.EFAULT, getattr(csock, "WSAEFAULT", errno.EFAULT)}
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
    """The message says which function and which of `params` it is about (printf's: "argument 2")."""
    if func not in message:
        return False
    return any(re.search(r"(?<![A-Za-z0-9_])" + re.escape(p) + r"(?![A-Za-z0-9_])", message) for p in params)


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
        _, typ, message, err, _ = outcome
        if fn.not_callable:
            assert typ == "TypeError" and "not callable" in message, f"{call}: {typ}: {message}"
            return
        assert corrupted, f"{call}: valid arguments raised {typ}: {message}"
        assert typ in ACCEPTED_ERRORS, f"{call} raised {typ}: {message}"
        assert err == 0, f"{call} raised {typ} ({message}) after a C call had set errno {err}: refuse before calling"
        params = hostile_names if len(corrupted) == 1 else fn.params
        params = ["format", "argument"] if name == "printf" else params + (["argument"] if "..." in params else [])
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
        assert err not in BAD_ADDRESS or uses_null, f"{call}: EFAULT: the kernel got memory csock should have refused"
    if fn.fd and len(corrupted) == 1 and hostile_names == [fn.fd]:
        fd_spec = specs[fn.params.index(fn.fd)]
        if is_bad_fd(fd_spec):
            assert (value, err) == (-1, BAD_DESCRIPTOR), f"{call} with a bad descriptor gave {result}, errno {err}"


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
        assert name in outcome[2] or REPORTED_AS.get(name, name) in outcome[2], \
            f"{render_call(name, specs)}: the message does not name it: {outcome[2]!r}"


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
                          capture_output=True, timeout=60, cwd=tempfile.gettempdir())
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


# --- regressions: inputs that crashed the interpreter or reached C unchecked before csock refused them ---

def run_child(code):
    """Runs code in a fresh interpreter; returns (status, stdout, stderr)."""
    here = os.path.dirname(os.path.abspath(__file__))
    proc = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {here!r})\n" + code],
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=120, cwd=tempfile.gettempdir())
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_signal_handlers_and_signal_result_cannot_be_called_into_a_crash():
    """SIG_IGN is address 1 and SIG_ERR -1: called as function pointers, they jumped there (SIGSEGV)."""
    status, out, err = run_child("""
import csock
for handler in ("SIG_DFL", "SIG_IGN", "SIG_ERR"):
    try:
        getattr(csock, handler)(csock.SIGUSR1)
    except TypeError as e:
        print(handler, "TypeError", e)
csock.signal(csock.SIGUSR1, csock.SIG_IGN)
previous = csock.signal(csock.SIGUSR1, csock.SIG_DFL)
assert previous == csock.SIG_IGN
try:
    previous(csock.SIGUSR1)
except TypeError as e:
    print("previous TypeError", e)
""")
    assert status == 0, f"the child died ({status}): {err[-2000:]}"
    assert out.count("TypeError") == 4, out


def test_memoryview_buffer_errors_survive_garbage_collection():
    """A refused call on a memoryview left its ffi.from_buffer in a traceback; kept in a cycle (as a caught
    exception in a local is), the collector of CPython < 3.12 then crashed (gh-77894)."""
    status, out, err = run_child("""
import gc
import csock

def keep_error(call):
    try:
        call()
    except (ValueError, OverflowError, TypeError) as e:
        error = e  # a cycle: this frame -> error -> traceback -> this frame
        return str(error)

for _ in range(50):
    view = memoryview(bytearray(48))[:16]
    messages = [keep_error(lambda: csock.send(-1, view, 17, 0)), keep_error(lambda: csock.send(-1, view, 16, 1 << 70)),
                keep_error(lambda: csock.recv(-1, view, 16, "x")), keep_error(lambda: csock.read(-1, view, -1)),
                keep_error(lambda: csock.inet_pton(csock.AF_INET6, b"::1", view[:15]))]
    del view
    gc.collect()
print(messages)
""")
    assert status == 0, f"the child died ({status}): {err[-2000:]}"
    assert "send: len (17)" in out and "send: flags" in out and "read: count" in out, out


C_STRING_PARAMETERS = [  # (function, arguments with {} where the string goes, parameter)
    ("atoi", ["{}"], "nptr"), ("strlen", ["{}"], "s"), ("perror", ["{}"], "s"), ("inet_addr", ["{}"], "cp"),
    ("inet_aton", ["{}", ("new", "struct in_addr *")], "cp"),
    ("inet_pton", [("v", 2), "{}", ("new", "struct in6_addr *")], "src"),
    ("gethostbyname", ["{}"], "name"),
    ("getaddrinfo", ["{}", ("null", None), ("null", None), ("new", "struct addrinfo **")], "node"),
    ("getaddrinfo", [("v", b"127.0.0.1"), "{}", ("null", None), ("new", "struct addrinfo **")], "service"),
    ("printf", ["{}"], "format"), ("printf", [("v", b"%s\n"), "{}"], "argument 2"),
]


@pytest.mark.parametrize("name,template,param", C_STRING_PARAMETERS, ids=lambda v: v if isinstance(v, str) else None)
@pytest.mark.parametrize("text", [b"127.0.0.1\0.evil.example", b"\0", b"localhost\0"])
def test_embedded_nul_is_refused_before_c(name, template, param, text, worker):
    """C stops at the first NUL: bytes that hold one would reach C as a different, shorter string."""
    if name not in EXPORTED:
        pytest.skip(f"csock exports no {name}")
    specs = [("v", text) if s == "{}" else s for s in template]
    outcome = worker.call(name, specs)
    call = render_call(name, specs)
    assert outcome[0] == "exc" and outcome[1] == "ValueError", f"{call}: {outcome}"
    assert names_argument(outcome[2], name, [param]), f"{call}: {outcome[2]!r}"


@pytest.mark.parametrize("family,addrlen", [("in6", 28), ("unix", 110), ("in6", 17)])
def test_sockaddr_from_ffi_new_is_read_for_its_own_size(family, addrlen, worker):
    """ffi.new("struct sockaddr *") holds 16 bytes: its sa_family must not make csock let C read 28 or 110."""
    specs = [("fd", "udp6"), ("addr", family, 0, "lying struct sockaddr *", b""), ("v", addrlen)]
    outcome = worker.call("bind", specs)
    assert outcome[:2] == ("exc", "ValueError") and "addrlen" in outcome[2], f"{render_call('bind', specs)}: {outcome}"


MISNAMED_BEFORE = [  # inputs whose error once named no argument, the wrong one, or was not an error csock raises
    ("recvfrom", [("fd", "tcp"), ("buf", "memoryview", 4, b""), ("v", 0), ("v", 0),
                  ("new", "struct sockaddr_in *"), ("length", "int", 4)], "TypeError", "addrlen"),
    ("FD_SET", [("v", "12"), ("fd_set", [])], "TypeError", "fd"),
    ("freeaddrinfo", [("v", float("nan"))], "TypeError", "res"),
    ("inet_pton", [("v", 2), ("v", b"1.2.3.4"), ("buf", "readonly_memoryview", 4, b"")], "TypeError", "dst"),
    ("printf", [("new", "int *", 3)], "TypeError", "format"),
    ("printf", [("v", b"%n")], "ValueError", "format"),
    ("inet_ntoa", [("v", (1, 2))], "ValueError", "in"),
    ("close", [("v", None)], "TypeError", "fd"),
    ("send", [("fd", "tcp"), ("buf", "array", 4, b""), ("v", 4), ("v", 1 << 70)], "OverflowError", "flags"),
    ("read", [("fd", "pair"), ("buf", "slice", 8, b""), ("v", -1)], "OverflowError", "count"),
]


@pytest.mark.parametrize("name,specs,error,param", MISNAMED_BEFORE, ids=[f"{c[0]}-{c[3]}" for c in MISNAMED_BEFORE])
def test_error_names_the_argument(name, specs, error, param, worker):
    if name not in EXPORTED:
        pytest.skip(f"csock exports no {name}")
    outcome = worker.call(name, specs)
    call = render_call(name, specs)
    assert outcome[:2] == ("exc", error), f"{call}: {outcome}"
    assert names_argument(outcome[2], name, [param]), f"{call}: {outcome[2]!r} does not name {param}"
    others = [p for p in TABLE[name].params if p not in (param, "...")]
    assert not names_argument(outcome[2], name, others), \
        f"{call}: {outcome[2]!r} names another argument than {param}"
