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
from hostile_values import READ_ONLY_KINDS, SHORT_ARRAYS, WRITTEN_DESTINATIONS, adversarial_integer

EXPORTED = sorted(n for n in csock.__all__ if callable(getattr(csock, n)))
IN_TABLE = [n for n in EXPORTED if n in TABLE]
EXAMPLES = int(os.environ.get("CSOCK_HOSTILE_EXAMPLES", "60"))  # per function: about 30 s in all
LIAR_EXAMPLES = int(os.environ.get("CSOCK_HOSTILE_LIAR_EXAMPLES", "15"))
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


def with_liars(data, fn, groups_specs):
    """groups_specs with one or two plain integers ("v", int) replaced by liars worth the same (hostile_values)."""
    places = [(g, i) for g, specs in enumerate(groups_specs) for i, spec in enumerate(specs)
              if spec[0] == "v" and type(spec[1]) is int]
    if not places:
        return None, []
    chosen = data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=2, unique=True), label="liars")
    out = [list(specs) for specs in groups_specs]
    for g, i in chosen:
        out[g][i] = data.draw(adversarial_integer(out[g][i][1]), label=f"liar in {fn.groups[g].names}")
    return [tuple(specs) for specs in out], sorted({g for g, _ in chosen})


@pytest.mark.parametrize("name", [n for n in IN_TABLE if not TABLE[n].own_child and not TABLE[n].not_callable])
def test_lying_integers(name, worker):
    """Valid calls whose integers lie: an int subclass with lying comparisons, an __index__ that answers
    differently the second time, an __index__ that raises *addrlen / empties the bytearray / claims AF_INET6 in a
    16-byte struct sockaddr of the same call. csock converts each once, before any check: never a crash, never a
    byte past a buffer; a lying int subclass or a shifting __index__ is the number it first says (no error)."""
    fn = TABLE[name]

    @settings(max_examples=LIAR_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def lying(data):
        groups_specs = [data.draw(g.valid, label=",".join(g.names) or "()") for g in fn.groups]
        liar_specs, corrupted = with_liars(data, fn, groups_specs)
        if liar_specs is None:
            return
        outcome = worker.call(name, [s for g in liar_specs for s in g])
        mutating = any(s[0] == "liar" and s[1] == "mutating_index" for g in liar_specs for s in g)
        if outcome[0] == "exc" and not mutating:
            call = render_call(name, [s for g in liar_specs for s in g])
            assert outcome[1] in ACCEPTED_ERRORS and name != "memset", f"{call}: {outcome}"
        # a mutating __index__ may spoil any argument of the call (*addrlen, the bytearray): any of them may be named
        everything = list(range(len(fn.groups))) if len(fn.groups) > 1 else corrupted
        check_outcome(name, fn, liar_specs, everything if mutating else corrupted if outcome[0] == "exc" else [],
                      outcome)

    lying()


@pytest.mark.parametrize("name,specs,param", SHORT_ARRAYS, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(SHORT_ARRAYS)])
def test_empty_and_one_short_arrays_are_refused(name, specs, param, worker):
    """An empty or one-short array of each struct type (cffi passes an array of any length to a pointer
    parameter): refused before C reads or writes through it."""
    if name not in EXPORTED:
        pytest.skip(f"csock exports no {name}")
    outcome = worker.call(name, specs)
    call = render_call(name, specs)
    assert outcome[0] == "exc" and outcome[1] in ("ValueError", "TypeError"), f"{call}: {outcome}"
    assert outcome[3] == 0, f"{call}: C ran (errno {outcome[3]}) before the refusal"
    assert names_argument(outcome[2], name, [param]), f"{call}: {outcome[2]!r} does not name {param}"
    assert not outcome[-1], f"{call}: {outcome[-1]}"


@pytest.mark.parametrize("kind", READ_ONLY_KINDS)
@pytest.mark.parametrize("name,template,param", WRITTEN_DESTINATIONS,
                         ids=[f"{c[0]}-{c[2]}" for c in WRITTEN_DESTINATIONS])
def test_read_only_destinations_are_refused(name, template, param, kind, worker):
    """C writes only into writable memory: ffi.from_buffer of bytes (the interpreter's shared b"h" among them), of a
    read-only memoryview or mmap, the read-only objects themselves: TypeError naming the argument, memory unchanged."""
    if name not in EXPORTED:
        pytest.skip(f"csock exports no {name}")
    specs = [("buf", kind, 16, b"h") if s == "{}" else s for s in template]
    outcome = worker.call(name, specs)
    call = render_call(name, specs)
    assert outcome[0] == "exc" and outcome[1] == "TypeError", f"{call}: {outcome}"
    assert names_argument(outcome[2], name, [param]), f"{call}: {outcome[2]!r} does not name {param}"
    assert not outcome[-1], f"{call}: {outcome[-1]}"


RACE_CHILD = """
import socket, threading, time
import csock
from csock import ffi
GUARD = 64

def guarded_sockaddr():
    whole = ffi.new("char[]", 16 + GUARD)
    ffi.memmove(ffi.cast("char *", whole) + 16, b"\\xa5" * GUARD, GUARD)
    return whole, ffi.cast("struct sockaddr *", whole)  # a struct sockaddr *: 16 bytes, the C idiom

results = []
for call in ("accept", "recvfrom"):
    kind = socket.SOCK_STREAM if call == "accept" else socket.SOCK_DGRAM
    server = socket.socket(socket.AF_INET6, kind)
    server.bind(("::1", 0))
    if call == "accept":
        server.listen(1)
    whole, sa = guarded_sockaddr()
    lenp = ffi.new("socklen_t *", 16)

    def racer():
        time.sleep(0.3)  # csock has read *addrlen (16) and the call blocks
        end = time.monotonic() + 0.2
        while time.monotonic() < end:  # what a second thread of a C program may do meanwhile
            lenp[0] = 4096
        peer = socket.socket(socket.AF_INET6, kind)
        peer.connect(server.getsockname()) if call == "accept" else peer.sendto(b"x", server.getsockname())
        time.sleep(0.5)
        peer.close()

    thread = threading.Thread(target=racer, daemon=True)
    thread.start()
    if call == "accept":
        n = csock.accept(server.fileno(), sa, lenp)
    else:
        n = csock.recvfrom(server.fileno(), ffi.new("char[8]"), 8, 0, sa, lenp)
    thread.join()
    intact = ffi.buffer(whole)[16:] == b"\\xa5" * GUARD
    results.append((call, n >= 0, intact, lenp[0]))
print(results)
"""


def test_a_second_thread_raising_addrlen_during_the_call_cannot_make_the_kernel_overflow():
    """accept / recvfrom of an IPv6 peer into a 16-byte struct sockaddr, *addrlen 16, while another thread keeps
    storing 4096 in *addrlen: the kernel gets csock's private copy (16) and writes no byte past the struct."""
    status, out, err = run_child(RACE_CHILD)
    assert status == 0, f"the child died ({status}): {err[-2000:]}"
    # *addrlen after the call: 28, the size of the peer's address, as the kernel reports a truncated one
    assert out.strip() == "[('accept', True, True, 28), ('recvfrom', True, True, 28)]", out + err[-2000:]


SIGNAL_CHILD = """
import gc, signal, socket
import csock
from csock import ffi

class Custom(BaseException):
    pass

kinds = [KeyError, RuntimeError, KeyboardInterrupt, SystemExit, Custom, MemoryError, StopIteration, OSError]
signal.siginterrupt(signal.SIGALRM, True)
seen = []

def keep_error(call):
    try:  # the timer starts inside: on a loaded machine it may fire before the call blocks, never outside the try
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        call()
    except BaseException as e:
        error = e  # a cycle: this frame -> error -> traceback -> this frame (and csock's frames, and the view)
        return type(error).__name__

for round in range(3):
    for kind in kinds:
        def handler(signum, frame, kind=kind):
            raise kind("raised by a signal handler during a blocking call")
        signal.signal(signal.SIGALRM, handler)
        a, b = socket.socketpair()
        for call in (lambda v: csock.recv(a.fileno(), v, 16, 0), lambda v: csock.read(a.fileno(), v, 16),
                     lambda v: csock.recvfrom(a.fileno(), v, 16, 0, ffi.NULL, ffi.NULL)):
            view = memoryview(bytearray(48))[:16]
            seen.append(keep_error(lambda: call(view)))
            signal.setitimer(signal.ITIMER_REAL, 0)
            del view
            gc.collect()
        a.close()
        b.close()
print(sorted(set(seen)))
"""


def test_signal_handlers_raising_anything_during_a_blocked_call_leave_no_view_for_the_collector():
    """A signal handler raises (any type) while recv/read/recvfrom block on a memoryview; the error is kept in a
    traceback cycle and collected: csock released its ffi.from_buffer first, so CPython < 3.12 does not crash
    (gh-77894) whatever the exception's type."""
    status, out, err = run_child(SIGNAL_CHILD)
    assert status == 0, f"the child died ({status}): {err[-2000:]}"
    assert out.strip() == str(sorted(["Custom", "KeyError", "KeyboardInterrupt", "MemoryError", "OSError",
                                      "RuntimeError", "StopIteration", "SystemExit"])), out + err[-2000:]


def test_fflush_takes_only_a_file_pointer():
    """cffi 1.x converts a char * to FILE * with a warning only: fflush(ffi.new("char[8]")) then crashed."""
    status, out, err = run_child("""
import warnings
import csock
from csock import ffi
warnings.simplefilter("error")
for bad in (ffi.new("char[8]"), ffi.new("char *"), ffi.cast("void *", ffi.new("char[8]")), ffi.new("int *")):
    try:
        csock.fflush(bad)
    except TypeError as e:
        print("refused", "fflush: stream" in str(e))
print(csock.fflush(ffi.NULL), csock.fflush(csock.stdout))
""")
    assert status == 0, f"the child died ({status}): {err[-2000:]}"
    assert out.split("\n")[:3] == ["refused True"] * 3, out + err


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
