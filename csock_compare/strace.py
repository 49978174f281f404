"""The Linux adapter of the normaliser: strace -ff logs (one file per process) parsed into Calls.

`command(prefix, argv, calls)` traces argv into PREFIX.PID files; `processes(prefix, calls, start)` reads them
back as [Process], the program first, then every process it forked in the order it forked them, each
normalised on its own (descriptors renumbered per process; a child starts with its parent's descriptors).
"""
import glob
import os
import re
from dataclasses import dataclass
from typing import List

from .normalise import Call, Names, normalise, render_bytes

FORKS = ("clone", "clone3", "fork", "vfork")  # always traced: they tell which process forked which
_CALL = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\)\s+=\s+(?P<ret>.*)$")
_UNFINISHED = re.compile(r"^(?P<head>\w+\(.*?)\s*<unfinished \.\.\.>$")
_RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>\s?(?P<tail>.*)$")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"(\.\.\.)?')
_SIGINFO = re.compile(r"(si_pid|si_uid|si_utime|si_stime)=\d+")  # pids, and CPU times: timing
_PIDS = {*FORKS, "wait4", "waitid"}  # calls that return a pid: a number the kernel picks
_PORT = re.compile(r"htons\((\d+)\)")
# glibc asks the kernel for the interface addresses over netlink (getaddrinfo sorting IPv4 and IPv6 answers): the
# sequence number is the time in seconds, the port id the process's pid, the stamps the namespace's age.
_NETLINK = re.compile(r"\b(nlmsg_seq|nlmsg_pid|nl_pid|cstamp|tstamp)=[1-9]\d*")
_FD_ARG_CALLS = {"bind", "listen", "accept", "accept4", "connect", "read", "write", "close", "recvfrom", "sendto",
                 "recv", "send", "recvmsg", "sendmsg", "shutdown", "getsockopt", "setsockopt", "getsockname",
                 "getpeername", "fcntl", "ioctl", "dup", "dup2", "dup3", "epoll_ctl", "epoll_wait", "epoll_pwait",
                 "readv", "writev"}
_FD_RETURNING = {"socket", "accept", "accept4", "dup", "dup2", "dup3", "epoll_create", "epoll_create1"}
_RECEIVING = {"read", "recvfrom", "recv"}


@dataclass
class Process:
    pid: int
    trace: List[str]  # normalised lines
    received: bytes  # bytes it read from sockets
    ended: bool  # its log ends with +++ exited / killed +++


def command(prefix, argv, calls, options=()):
    """strace argv writing one log per process to PREFIX.PID: the calls compared, the forks, whole strings."""
    traced = ",".join(dict.fromkeys((*calls, *FORKS)))
    return ["strace", "-ff", "-o", prefix, "-s", "65536", "-xx", "-e", "trace=" + traced, *options, "--", *argv]


def logs(prefix):
    """{pid: path} of the logs strace has written so far."""
    found = {}
    for path in glob.glob(glob.escape(prefix) + ".*"):
        tail = path.rsplit(".", 1)[1]
        if tail.isdigit():
            found[int(tail)] = path
    return found


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _joined(text):
    """The log's lines with <unfinished ...> / <... resumed> pairs joined."""
    lines, pending = [], None
    for line in text.split("\n"):
        if not line.strip():
            continue
        unfinished = _UNFINISHED.match(line)
        if unfinished:
            pending = unfinished.group("head")
            continue
        resumed = _RESUMED.match(line)
        if resumed and pending is not None:
            line, pending = pending + resumed.group("tail"), None
        lines.append(line)
    return lines


def root_and_children(prefix):
    """(pid of the traced program, {pid: [pids it forked, in order]}) from the logs' fork lines."""
    children, forked = {}, set()
    for pid, path in logs(prefix).items():
        children[pid] = []
        for line in _joined(_read(path)):
            call = _CALL.match(line)
            if call and call.group("name") in FORKS and call.group("ret").split()[0].isdigit():
                children[pid].append(int(call.group("ret").split()[0]))
                forked.add(children[pid][-1])
    roots = sorted(set(children) - forked)
    return (roots[0] if roots else None), children


def waits_in(path, names):
    """True when the log ends inside a call of one of names that has not returned (-ff writes it unfinished)."""
    text = _read(path)
    if not text or text.endswith("\n"):
        return False
    last = text.rsplit("\n", 1)[-1]
    return any(last.startswith(name + "(") for name in names)


def ended(path):
    return bool(re.search(r"^\+\+\+ (exited|killed) .*\+\+\+$", _read(path), re.M))


def decode_c_string(body):
    """The bytes of a strace string literal (-xx prints every byte as \\xNN; the rest is a fallback)."""
    out, i = bytearray(), 0
    simple = {"n": 10, "t": 9, "r": 13, "v": 11, "f": 12, '"': 34, "\\": 92}
    while i < len(body):
        if body[i] != "\\":
            out += body[i].encode()
            i += 1
        elif body[i + 1] == "x":
            out.append(int(body[i + 2:i + 4], 16))
            i += 4
        elif body[i + 1] in simple:
            out.append(simple[body[i + 1]])
            i += 2
        else:  # octal
            digits = re.match(r"[0-7]{1,3}", body[i + 1:]).group()
            out.append(int(digits, 8))
            i += 1 + len(digits)
    return bytes(out)


def split_args(args):
    """Top-level comma-separated arguments of a strace call (strings and braces kept whole)."""
    out, depth, current, i = [], 0, [], 0
    while i < len(args):
        ch = args[i]
        if ch == '"':
            m = _STRING.match(args, i)
            current.append(m.group())
            i = m.end()
            continue
        depth += ch in "{[("
        depth -= ch in "}])"
        if ch == "," and depth == 0:
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    if current or out:
        out.append("".join(current).strip())
    return out


def ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = map(int, f.read().split())
        return low, high
    except OSError:
        return 32768, 60999


def starts(line, start):
    """True when line is where a trace starts: a call named start, or (start not a name) a line whose strings,
    decoded, match the regular expression start (e.g. the first open of a file)."""
    if re.fullmatch(r"\w+", start):
        return line.startswith(start + "(")
    return re.search(start, _STRING.sub(lambda m: decode_c_string(m.group(1)).decode("latin-1"), line)) is not None


def parse(text, calls, start=None, sockets=()):
    """([Call], bytes read from sockets, {fd: is a socket} at each fork) of one process's log.

    calls: the names kept; start: the first kept call (None: from the beginning); sockets: fds that are
    sockets when the process starts (a child's inherited ones).
    """
    lines = _joined(text)
    if start is not None:
        first = next((i for i, line in enumerate(lines) if starts(line, start)), None)
        lines = [] if first is None else lines[first:]
    sockets, received, out, at_forks = set(sockets), bytearray(), [], []
    for line in lines:
        call = _CALL.match(line)
        if not call:  # --- signal --- / +++ exit +++ / a call cut short by the end of the log
            out.append(Call(None, text=_SIGINFO.sub(lambda m: m.group(1) + "=N", line)))
            continue
        name, ret = call.group("name"), call.group("ret").strip()
        args = split_args(call.group("args"))
        value = ret.split()[0] if ret else ret
        if name in FORKS:
            at_forks.append(set(sockets))
            if name not in calls:
                continue
        if name in _FD_ARG_CALLS and args and args[0].isdigit():
            fd = int(args[0])
            if name in _RECEIVING and fd in sockets and len(args) > 1 and value.isdigit() and int(value) > 0:
                m = _STRING.match(args[1])
                if m:
                    received += decode_c_string(m.group(1))
            if name == "close":
                sockets.discard(fd)
        if name in ("socket", "accept", "accept4") and value.isdigit():
            sockets.add(int(value))
        fd_args = (0,) if name in _FD_ARG_CALLS else ()
        if name == "socketpair" and len(args) == 4:
            fd_args = (3,)
            if value == "0":
                sockets.update(int(fd) for fd in re.findall(r"\d+", args[3]))
        if name not in calls:
            continue
        if name in _PIDS and value.isdigit() and value != "0":
            ret = "PID" + ret[len(value):]
        out.append(Call(name, args, ret, fd_args=fd_args, returns_fd=name in _FD_RETURNING and value.isdigit()))
    return out, bytes(received), at_forks


def _render(low, high):
    def render(arg):
        arg = _STRING.sub(lambda m: render_bytes(decode_c_string(m.group(1))) + (m.group(2) or ""), arg)
        arg = _NETLINK.sub(lambda m: m.group(1) + "=N", arg)
        return _PORT.sub(lambda m: "htons(EPHEMERAL)" if low <= int(m.group(1)) <= high else m.group(), arg)
    return render


_FD_FIELD = re.compile(r"\bfd=(\d+)")


def _renderer(names):
    """Each argument: strings rendered, ephemeral ports replaced, descriptors inside it (poll's {fd=3, ...},
    epoll's data) named like the others."""
    render = _render(*ephemeral_range())
    return lambda arg: _FD_FIELD.sub(lambda m: "fd=" + names(m.group(1)), render(arg))


def parse_trace(text, calls, start="socket"):
    """(normalised lines, bytes read from sockets) of one process's log."""
    parsed, received, _ = parse(text, calls, start)
    names = Names()
    return normalise(parsed, names, _renderer(names)), received


def processes(prefix, calls, start="socket"):
    """[Process] of one traced program: the program, then its children depth-first in the order forked."""
    root, children = root_and_children(prefix)
    if root is None:
        return []
    paths, out = logs(prefix), []

    def visit(pid, first, inherited):
        text = _read(paths.get(pid, ""))
        parsed, received, at_forks = parse(text, calls, first, inherited)
        names = Names()
        out.append(Process(pid, normalise(parsed, names, _renderer(names)), received, ended(paths.get(pid, ""))))
        for child, sockets in zip(children.get(pid, []), at_forks + [set()] * len(children.get(pid, []))):
            visit(child, None, sockets)

    visit(root, start, ())
    return out
