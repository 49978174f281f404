"""Assembles the csock cffi extension from one small module per C header.

Each module under binding/<family>/ (or binding/common/, where both families declare a header alike)
holds INCLUDES, TYPES, FUNCTIONS and CUSTOMIZATIONS (the layout of pyca/cryptography's old _cffi_src), and where it
has calls that never block (htons, inet_ntoa, memset...), NONBLOCKING_FUNCTIONS. This script only concatenates them:
the POSIX family on Linux, the Winsock family on Windows (also when cross-building).

Two extensions come out. csock._csock declares everything, and its calls release the GIL as cffi always does.
csock._csock_nonblocking includes it (same types) and declares the never-blocking calls again, compiled holding the
GIL, as CPython's own socket.htons does: releasing and retaking it costs more than htons itself. csock calls those.
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
NONBLOCKING_EXTENSION = "csock._csock_nonblocking"

# cffi brackets every call with these two macros: in the never-blocking module they keep the GIL held.
HOLD_GIL = """
#undef Py_BEGIN_ALLOW_THREADS
#undef Py_END_ALLOW_THREADS
#define Py_BEGIN_ALLOW_THREADS {
#define Py_END_ALLOW_THREADS }
"""


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


def _source(family, modules, customizations):
    source = "\n".join([m.INCLUDES for m in modules] + customizations)
    if family == "posix":
        return "#ifndef _GNU_SOURCE\n#define _GNU_SOURCE\n#endif\n" + source, {}
    return "#define WIN32_LEAN_AND_MEAN\n" + source, {"libraries": ["ws2_32"]}


def nonblocking_functions(module):
    """The module's NONBLOCKING_FUNCTIONS (most modules have none)."""
    return getattr(module, "NONBLOCKING_FUNCTIONS", "")


def nonblocking_customizations(module):
    """The module's NONBLOCKING_CUSTOMIZATIONS: the C of its own never-blocking functions, compiled into both
    extensions (most modules have none)."""
    return getattr(module, "NONBLOCKING_CUSTOMIZATIONS", "")


def declared_functions(module):
    """Every function the module declares: FUNCTIONS, then NONBLOCKING_FUNCTIONS."""
    return module.FUNCTIONS + nonblocking_functions(module)


def build_ffi(platform=sys.platform):
    """csock._csock: every type, constant and function of the binding."""
    family = family_of(platform)
    modules = [load_module(family, name) for name in MODULES[family]]
    ffi = FFI()
    ffi.cdef("\n".join(m.TYPES for m in modules))
    ffi.cdef("\n".join(declared_functions(m) for m in modules))
    source, options = _source(family, modules, [m.CUSTOMIZATIONS + nonblocking_customizations(m) for m in modules])
    ffi.set_source(EXTENSION, source, **options)
    return ffi


def build_nonblocking_ffi(platform=sys.platform, main=None):
    """csock._csock_nonblocking: the never-blocking calls of csock._csock (main) again, made holding the GIL."""
    family = family_of(platform)
    modules = [load_module(family, name) for name in MODULES[family]]
    ffi = FFI()
    ffi.include(main if main is not None else build_ffi(platform))
    ffi.cdef("\n".join(nonblocking_functions(m) for m in modules))
    # no shim of CUSTOMIZATIONS is declared again; those of NONBLOCKING_FUNCTIONS are
    source, options = _source(family, modules, [HOLD_GIL] + [nonblocking_customizations(m) for m in modules])
    ffi.set_source(NONBLOCKING_EXTENSION, source, **options)
    return ffi


ffibuilder = build_ffi()
nonblocking_ffibuilder = build_nonblocking_ffi(main=ffibuilder)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
    nonblocking_ffibuilder.compile(verbose=True)
