"""Masks: what the comparison leaves to the kernel's timing, each named, documented and used by its name only.

A program's description (`masks = [...]` in [program]) or a scenario's (`masks = [...]`) names them; the
comparison (report.first_difference) applies them to both runs before it compares a process's syscalls and
the bytes it received. Nothing else is ever left out. Each mask says which erratum explains it.
"""
import re

from .strace import split_args

WAITS = ("select", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait")  # readiness the kernel reports
_LINE = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\) = (?P<result>.*)$")
_FD = re.compile(r"fd\d+")
_EPOLL_DATA = re.compile(r"data=\{u32=(\d+), u64=(\d+)\}")


def _drop(pattern):
    return lambda lines: [line for line in lines if not re.search(pattern, line)]


def _reaped(lines):
    reaped = [line for line in lines if re.match(r"^wait4\(.*= PID\b", line)]
    kept = [line for line in lines if not re.match(r"^(--- SIGCHLD |wait4\()", line)]
    return kept + ["<reaped>"] + reaped


def _wait_shape(name, args):
    """A readiness wait without what the kernel decides (which descriptors are ready, how many, the sets as they
    were then, nfds): the call and its fixed arguments (which sets are given, epfd, maxevents, the timeout)."""
    args = split_args(args)
    if name in ("select", "pselect6"):
        kept = ["NFDS"] + ["NULL" if arg == "NULL" else "SET" for arg in args[1:4]] + args[4:]
    elif name in ("poll", "ppoll"):
        kept = ["FDS", "NFDS"] + args[2:]
    else:  # epoll_wait, epoll_pwait
        kept = args[:1] + ["EVENTS"] + args[2:]
    return f"{name}({', '.join(kept)}) = <ready>"


def by_connection(lines):
    """The kernel-order view of one process's lines: each descriptor's calls in the program's order, one
    stream per descriptor lifetime (from the call that returned it), the streams sorted (which connection the
    kernel served first is its order, not the program's), with the descriptor named fdC in its own stream;
    the other lines (signals, exit) sorted; the readiness waits as the set of their shapes."""
    streams, done, rest, waits = {}, [], [], set()
    for line in lines:
        line = _EPOLL_DATA.sub(lambda m: "data={u32=FD, u64=FD}" if m[1] == m[2] else m[0], line)
        call = _LINE.match(line)
        if not call:
            rest.append(line)
            continue
        name, result = call["name"], call["result"].split()
        if name in WAITS:
            waits.add(_wait_shape(name, call["args"]))
            continue
        if result and _FD.fullmatch(result[0]):
            if result[0] in streams:
                done.append(streams.pop(result[0]))
            streams[result[0]] = [(result[0], line)]
            continue
        args = split_args(call["args"])
        owner = args[2] if name == "epoll_ctl" and len(args) > 2 else (args[0] if args else "")
        if owner in streams:
            streams[owner].append((owner, line))
        else:
            rest.append(line)
    done += streams.values()
    named = sorted([re.sub(rf"\b{fd}\b", "fdC", line) for fd, line in stream] for stream in done)
    out = sorted(rest)
    for stream in named:
        out += ["<descriptor>"] + stream
    return out + ["<readiness waits>"] + sorted(waits)


# wine 10's two answers to a polling recv after the peer's reset (ERRATA WF5): WSAECONNRESET or 0 (orderly close)
_RESET_PRINTED = re.compile(rb"^recv error : 10054\r\n", re.M)
_RESET_CALL, _CLOSE_CALL = "WS2_recv_base status 0xc000020d.", "WS2_recv_base status 0."


def _reset_as_close(lines):
    """A recv that failed with STATUS_CONNECTION_RESET and whose socket is closed next, traced as one that read 0."""
    return [_CLOSE_CALL if line == _RESET_CALL and after.startswith("closesocket ") else line
            for line, after in zip(lines, lines[1:] + [""])]


def _ip_header(received):
    """Each 84-byte packet of a raw ICMP socket with the IP id and header checksum (kernel-chosen) masked."""
    packets = [received[i:i + 84] for i in range(0, len(received), 84)]
    return b"".join(p[:4] + b"ID" + p[6:10] + b"CK" + p[12:] for p in packets)


class Mask:
    def __init__(self, about, lines=None, received=None, children=None, stdout=None):
        self.about, self.lines, self.received, self.children, self.stdout = about, lines, received, children, stdout


KINDS = {
    "polling": Mask("csrc/ERRATA.md FA5: a non-blocking program polls; how many calls find nothing (EAGAIN) is "
                    "timing: those lines are left out", lines=_drop(r"= -1 EAGAIN\b")),
    "restarts": Mask("csrc/ERRATA.md FA3: whether a signal finds the program inside a call (= ? ERESTART..., "
                     "restarted) or between two is timing: those lines are left out", lines=_drop(r"= \? ERESTART")),
    "reaping": Mask("csrc/ERRATA.md FA3: where SIGCHLD lands among a parent's calls, how many of them the kernel "
                    "merges, and whether the handler's last waitpid(WNOHANG) finds a child still running (0) or none "
                    "(ECHILD) is timing: the SIGCHLD lines and the waits that reaped nothing are left out, and the "
                    "waits that reaped a child (= PID) are compared at the end, wherever they came", lines=_reaped),
    "kernel-order": Mask("docs/DESCRIPTIONS.md 'Masks': clients racing at once: per process, each descriptor's "
                         "calls in order, the descriptors and forked children in any order, readiness waits as "
                         "a set", lines=by_connection, children=sorted,
                         received=lambda data: b"".join(sorted(data.splitlines(keepends=True)))),
    "ip-header": Mask("csrc/ERRATA.md FA7: the kernel picks each packet's IP id and header checksum: those four "
                      "bytes of each packet received on a raw socket are masked, and the packets in recvfrom lines",
                      lines=lambda lines: [re.sub(r'^(recvfrom\(fd\d+, )"(?:[^"\\]|\\.)*"', r"\1PACKET", line)
                                           for line in lines],
                      received=_ip_header),
    "reset-or-close": Mask("csrc/ERRATA.md WF5: under wine 10 a polling recv after the peer's reset fails with "
                           "WSAECONNRESET or, a race inside wine, returns 0 (one peer resets): stdout's first "
                           "'recv error : 10054' line is left out, and a recv traced with status 0xc000020d right "
                           "before its socket's closesocket is compared as one that read 0", lines=_reset_as_close,
                           stdout=lambda data: _RESET_PRINTED.sub(b"", data, count=1)),
}


def view(run, names):
    """(trace, children, received, stdout) of a Run as compared under the masks named."""
    trace, children, received, stdout = run.trace, run.children, run.received, run.stdout
    for name in sorted(names, key=lambda n: n == "kernel-order"):  # lines dropped first, then regrouped
        mask = KINDS[name]
        if mask.lines:
            trace, children = mask.lines(trace), [mask.lines(child) for child in children]
        if mask.children:
            children = mask.children(children)
        if mask.received:
            received = mask.received(received)
        if mask.stdout:
            stdout = mask.stdout(stdout)
    return trace, children, received, stdout
