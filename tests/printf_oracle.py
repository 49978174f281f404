"""Child process of tests/test_printf_grammar.py: csock.printf next to libc's own snprintf, on the same values.

Each request (one JSON line on stdin) is a format and its arguments, each with the C type the test's generator
gave it. csock.printf gets the Python values (stdout, fd 1, is a file read back after fflush); libc's snprintf,
called through a cffi ABI-mode handle of its own, gets the same values as cdata of those C types. The reply
(one JSON line on the stdout this process started with) holds both outputs and return values, or the error
csock raised. A crash ends the process: the parent sees end of file and names the request.
"""
import json
import os
import sys
import tempfile

from cffi import FFI

import csock

ERRNO = 2  # what %m prints: strerror(ENOENT), the same for both calls
reference = FFI()
reference.cdef("int snprintf(char *str, size_t size, const char *format, ...);")
libc = reference.dlopen(None)


def python_value(ctype, value):
    if ctype == "char *":
        return bytes.fromhex(value)
    if ctype == "void *":
        return csock.ffi.cast("void *", value)
    return value


def c_value(ctype, value, keep):
    if ctype == "char *":
        keep.append(reference.new("char[]", bytes.fromhex(value)))
        return keep[-1]
    return reference.cast(ctype, value)


def main():
    replies = os.fdopen(os.dup(1), "w")
    captured = tempfile.TemporaryFile()
    os.dup2(captured.fileno(), 1)  # csock.printf writes into this file
    out = reference.new("char[]", 1 << 16)
    for line in sys.stdin:
        request = json.loads(line)
        fmt = bytes.fromhex(request["format"])
        args = request["args"]
        reply = {}
        start = captured.seek(0, os.SEEK_END)
        try:
            csock.ffi.errno = ERRNO
            n = csock.printf(fmt, *[python_value(t, v) for t, v in args])
            csock.fflush(csock.stdout)
        except Exception as e:
            reply["error"] = [type(e).__name__, str(e)]
        else:
            captured.seek(start)
            reply["csock"] = [n, captured.read().hex()]
        if request.get("reference", True):
            keep = []
            reference.errno = ERRNO
            n = libc.snprintf(out, len(out), fmt, *[c_value(t, v, keep) for t, v in args])
            reply["libc"] = [n, reference.buffer(out, max(0, min(n, len(out) - 1)))[:].hex()]
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
