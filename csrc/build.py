"""Assembles the csock cffi extension from one small module per C header.

Each module under binding/<family>/ (or binding/common/, where both families declare a header alike)
holds INCLUDES, TYPES, FUNCTIONS and CUSTOMIZATIONS (the layout of pyca/cryptography's old _cffi_src). This script only concatenates them:
the POSIX family on Linux, the Winsock family on Windows (also when cross-building).
"""
import importlib.util
import os
import sys

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))

# Order matters: a module's TYPES may use types declared by the modules before it.
MODULES = {
    "posix": [
        "sys_socket", "sys_un", "netinet_in", "netinet_tcp", "arpa_inet", "netdb",
        "poll", "sys_select", "sys_epoll", "unistd", "fcntl", "signal", "errno",
        "stdio", "string", "stdlib",
    ],
    "win32": [
        "windows", "winsock2", "ws2tcpip", "errno", "signal", "stdio", "string", "stdlib",
    ],
}

EXTENSION = "csock._csock"


def family_of(platform):
    return "win32" if platform.startswith("win") else "posix"


def load_module(family, name):
    """binding/<family>/<name>.py, or binding/common/<name>.py for a header both families declare alike."""
    path = os.path.join(HERE, "binding", family, name + ".py")
    if not os.path.exists(path):
        path = os.path.join(HERE, "binding", "common", name + ".py")
    spec = importlib.util.spec_from_file_location(f"csock_binding_{family}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_ffi(platform=sys.platform):
    family = family_of(platform)
    modules = [load_module(family, name) for name in MODULES[family]]
    ffi = FFI()
    ffi.cdef("\n".join(m.TYPES for m in modules))
    ffi.cdef("\n".join(m.FUNCTIONS for m in modules))
    source = "\n".join(
        [m.INCLUDES for m in modules] + [m.CUSTOMIZATIONS for m in modules]
    )
    if family == "posix":
        source = "#define _GNU_SOURCE\n" + source
        ffi.set_source(EXTENSION, source)
    else:
        ffi.set_source(EXTENSION, "#define WIN32_LEAN_AND_MEAN\n" + source, libraries=["ws2_32"])
    return ffi


ffibuilder = build_ffi()

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
