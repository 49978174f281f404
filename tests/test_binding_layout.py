"""Struct sizes, field offsets, integer typedefs and constant values of csock equal what a C program
compiled on this machine prints. The program is generated into tmp_path and built with the system compiler."""
import os
import shutil
import subprocess
import sys

import pytest

import csock
from csock import ffi

WINDOWS = sys.platform == "win32"

HEADERS = (["winsock2.h", "ws2tcpip.h", "windows.h", "errno.h", "signal.h", "string.h", "stdlib.h"] if WINDOWS else [
    "sys/types.h", "sys/socket.h", "sys/un.h", "netinet/in.h", "netinet/tcp.h", "arpa/inet.h", "netdb.h",
    "poll.h", "sys/select.h", "sys/time.h", "sys/epoll.h", "unistd.h", "fcntl.h", "signal.h", "errno.h",
    "string.h", "strings.h", "stdlib.h", "sys/wait.h", "netinet/ip.h", "netinet/ip_icmp.h",
]) + ["stdio.h", "stddef.h"]

# The issue's types and the fields a program uses; every field csock declares is compared as well.
STRUCT_FIELDS = {
    "struct sockaddr": ["sa_family", "sa_data"],
    "struct sockaddr_in": ["sin_family", "sin_port", "sin_addr"],
    "struct sockaddr_in6": ["sin6_family", "sin6_port", "sin6_flowinfo", "sin6_addr", "sin6_scope_id"],
    "struct sockaddr_storage": ["ss_family"],
    "struct in_addr": ["s_addr"],
    "struct in6_addr": ["s6_addr"],
    "struct hostent": ["h_name", "h_aliases", "h_addrtype", "h_length", "h_addr_list"],
    "struct addrinfo": ["ai_flags", "ai_family", "ai_socktype", "ai_protocol", "ai_addrlen", "ai_addr",
                        "ai_canonname", "ai_next"],
    "struct pollfd": ["fd", "events", "revents"],
    "struct timeval": ["tv_sec", "tv_usec"],
    "fd_set": [],
}
if not WINDOWS:  # Unix-domain addresses and epoll exist on POSIX only
    STRUCT_FIELDS["struct sockaddr_un"] = ["sun_family", "sun_path"]
    STRUCT_FIELDS["struct epoll_event"] = ["events", "data"]

INTEGER_TYPES = ["socklen_t"] + ([] if WINDOWS else
                                 ["sa_family_t", "in_port_t", "in_addr_t", "nfds_t", "time_t", "suseconds_t"])


def integer_constants():
    return sorted(name for name in dir(csock.lib)  # csock_*: the binding's own constants, not the headers'
                  if isinstance(getattr(csock.lib, name), int) and not name.startswith("csock_"))


def c_program():
    lines = [f"#include <{h}>" for h in HEADERS] + ["int main(void) {"]
    for ctype in STRUCT_FIELDS:
        lines.append(f'    printf("sizeof {ctype} %zu\\n", sizeof({ctype}));')
        for field in fields_of(ctype):
            lines.append(f'    printf("offsetof {ctype}.{field} %zu\\n", offsetof({ctype}, {field}));')
            lines.append(f'    printf("sizeof {ctype}.{field} %zu\\n", sizeof((({ctype} *)0)->{field}));')
    for ctype in INTEGER_TYPES:
        lines.append(f'    printf("sizeof {ctype} %zu\\n", sizeof({ctype}));')
        lines.append(f'    printf("signed {ctype} %d\\n", (int)((({ctype})-1) < 0));')
    for name in integer_constants():
        lines.append(f'    printf("value {name} %llu\\n", (unsigned long long)({name}));')
    lines += ["    return 0;", "}"]
    return "\n".join(lines) + "\n"


def fields_of(ctype):
    return [name for name, _ in (ffi.typeof(ctype).fields or []) if name]  # an anonymous union has no name


def what_csock_says():
    says = {}
    for ctype in STRUCT_FIELDS:
        says[f"sizeof {ctype}"] = ffi.sizeof(ctype)
        for name, field in [(n, f) for n, f in ffi.typeof(ctype).fields or [] if n]:
            says[f"offsetof {ctype}.{name}"] = ffi.offsetof(ctype, name)
            says[f"sizeof {ctype}.{name}"] = ffi.sizeof(field.type)
    for ctype in INTEGER_TYPES:
        says[f"sizeof {ctype}"] = ffi.sizeof(ctype)
        says[f"signed {ctype}"] = int(int(ffi.cast(ctype, -1)) < 0)
    for name in integer_constants():
        says[f"value {name}"] = getattr(csock.lib, name) % (1 << 64)
    return says


def layout_source():
    return ("#define _GNU_SOURCE\n" if not WINDOWS else "#define WIN32_LEAN_AND_MEAN\n") + c_program()


def compiler():
    for name in (["gcc", "cc", "x86_64-w64-mingw32-gcc"] if WINDOWS else ["cc", "gcc"]):
        if shutil.which(name):
            return shutil.which(name)
    if WINDOWS:
        pytest.skip("no C compiler on this Windows machine: the layout cannot be compared")
    raise AssertionError("no C compiler (cc / gcc) found: setup.sh installs gcc")


def layout_program(tmp_path):
    """layout_source() built by this machine's C compiler; under wine, which has none, the program that
    tests/windows/run built natively with mingw-w64 from layout_source() as this interpreter wrote it."""
    prebuilt = os.environ.get("CSOCK_LAYOUT_PROGRAM")
    if WINDOWS and prebuilt:
        with open(os.path.splitext(prebuilt)[0] + ".c", encoding="utf-8") as f:
            assert f.read() == layout_source(), f"{prebuilt} is not built from this csock: rerun tests/windows/run"
        return prebuilt
    source = tmp_path / "layout.c"
    source.write_text(layout_source())
    program = tmp_path / ("layout.exe" if WINDOWS else "layout")
    build = subprocess.run([compiler(), "-o", str(program), str(source)], capture_output=True, text=True, timeout=120)
    assert build.returncode == 0, build.stderr
    return program


def test_issue_types_and_fields_are_declared():
    for ctype, required in STRUCT_FIELDS.items():
        assert set(required) <= set(fields_of(ctype)), ctype
    for ctype in INTEGER_TYPES:
        assert ffi.typeof(ctype).kind == "primitive", ctype


def test_layout_and_constants_equal_the_c_compiler(tmp_path):
    run = subprocess.run([str(layout_program(tmp_path))], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    printed = {}
    for line in run.stdout.splitlines():
        key, _, value = line.rpartition(" ")
        printed[key] = int(value)
    says = what_csock_says()
    assert len(printed) == len(says)
    differences = {key: (says[key], printed.get(key)) for key in says if says[key] != printed.get(key)}
    assert not differences, f"(csock, C) differ: {differences}"
