"""One normaliser for every OS: the calls an OS adapter parsed (csock_compare.strace on Linux,
csock_compare.winsock under wine) become lines two faithful programs make equal.

Per process: descriptors (fds, SOCKET handles) renamed in order of appearance, pointers and ephemeral ports
replaced, byte strings shown exactly but short (render_bytes), and — where an adapter asks, for a program killed
while spinning — a loop repeating the same calls cut after its first round.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

POINTER = re.compile(r"\b0x[0-9a-f]+\b")


@dataclass
class Call:
    """One call of one process as an adapter parsed it, or an event (signal, exit) with name None."""
    name: Optional[str]
    args: List[str] = field(default_factory=list)
    result: str = ""
    text: str = ""  # an event's text as the tracer wrote it
    fd_args: tuple = ()  # positions of args that are descriptors
    returns_fd: bool = False  # the result is a new descriptor


@dataclass
class Names:
    """The descriptor names of one process: first_name ("fd" / "S") + a number in order of appearance."""
    prefix: str = "fd"
    first: int = 3  # 0, 1, 2 keep their own names on POSIX
    keep: tuple = ("0", "1", "2")
    names: Dict[str, str] = field(default_factory=dict)

    def __call__(self, value):
        if value.startswith("[") and value.endswith("]"):  # socketpair's, pipe's [fd, fd]
            return "[" + ", ".join(self(part.strip()) for part in value[1:-1].split(",")) + "]"
        if value in self.keep or not re.fullmatch(r"\d+|0x[0-9a-f]+", value) or value.startswith("-"):
            return value
        if value not in self.names:
            self.names[value] = f"{self.prefix}{self.first + len(self.names)}"
        return self.names[value]


def normalise(calls, names, render_arg=lambda arg: arg):
    """Lines of one process's calls: descriptors named by names, each argument through render_arg, pointers
    replaced."""
    out = []
    for call in calls:
        if call.name is None:
            out.append(POINTER.sub("0xADDR", re.sub(r"\s+", " ", call.text)))
            continue
        args = [names(arg) if i in call.fd_args else arg for i, arg in enumerate(call.args)]
        args = [POINTER.sub("0xADDR", render_arg(arg)) for arg in args]
        result = call.result
        if call.returns_fd:
            value = result.split()[0] if result else result
            result = names(value) + result[len(value):]
        out.append(f"{call.name}({', '.join(args)}) = {POINTER.sub('0xADDR', render_arg(result))}")
    return out


def render_bytes(data):
    """A short, exact text form of data: printable ASCII as is, runs of 8+ equal bytes as <xNN*count>."""
    parts = []
    i = 0
    while i < len(data):
        j = i
        while j < len(data) and data[j] == data[i]:
            j += 1
        if j - i >= 8:
            parts.append(f"<x{data[i]:02x}*{j - i}>")
            i = j
            continue
        b = data[i]
        parts.append(chr(b) if 32 <= b < 127 and b not in (34, 60, 92) else f"\\x{b:02x}")
        i += 1
    return '"' + "".join(parts) + '"'


def cut_loop(lines, rounds=3, longest=12):
    """lines up to the first block (at most `longest` lines) that repeats `rounds` times in a row, kept once,
    followed by '<loop>': a program killed while spinning leaves a trace whose length depends on the timing."""
    for start in range(len(lines)):
        for period in range(1, longest + 1):
            block = lines[start:start + period]
            if len(block) < period:
                break
            if all(lines[start + k * period:start + (k + 1) * period] == block for k in range(1, rounds)):
                return lines[:start + period] + ["<loop>"]
    return lines
