/* Reference floor for bench/run.py, not a deliverable: the echo server's loop calls through the least a CPython
   binding can do per call. METH_FASTCALL (no argument tuple), the buffers' bounds checked through the buffer
   protocol, the GIL released only around the calls that may block. bench/servers/echo_server_capi.py calls it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FASTCALL(f) ((PyCFunction)(void (*)(void))(f))  /* METH_FASTCALL functions have another signature */

/* A Python int as a C int: an out-of-range value raises instead of being truncated. */
static int int_arg(PyObject *o, int *out) {
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < INT_MIN || v > INT_MAX) { PyErr_SetString(PyExc_OverflowError, "does not fit a C int"); return -1; }
    *out = (int)v;
    return 0;
}

/* A Python int as a byte count no larger than the buffer it applies to. */
static int count_arg(PyObject *o, const Py_buffer *b, Py_ssize_t *out) {
    Py_ssize_t v = PyLong_AsSsize_t(o);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0 || v > b->len) { PyErr_SetString(PyExc_ValueError, "count larger than the buffer"); return -1; }
    *out = v;
    return 0;
}

/* accept(fd, addr, addrlen): addr and addrlen writable buffers, *addrlen no larger than addr. */
static PyObject *f_accept(PyObject *m, PyObject *const *a, Py_ssize_t n) {
    int fd, r;
    Py_buffer addr, len;
    if (n != 3) { PyErr_SetString(PyExc_TypeError, "accept takes 3 arguments"); return NULL; }
    if (int_arg(a[0], &fd)) return NULL;
    if (PyObject_GetBuffer(a[1], &addr, PyBUF_WRITABLE) < 0) return NULL;
    if (PyObject_GetBuffer(a[2], &len, PyBUF_WRITABLE) < 0) { PyBuffer_Release(&addr); return NULL; }
    if (len.len != sizeof(socklen_t) || *(socklen_t *)len.buf > (size_t)addr.len) {
        PyBuffer_Release(&addr); PyBuffer_Release(&len);
        PyErr_SetString(PyExc_ValueError, "addrlen larger than addr");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS  /* blocks until a client connects */
    r = accept(fd, (struct sockaddr *)addr.buf, (socklen_t *)len.buf);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&addr); PyBuffer_Release(&len);
    return PyLong_FromLong(r);
}

/* inet_ntoa(sockaddr_in buffer) -> bytes: the address of a whole struct sockaddr_in (no struct type to pass). */
static PyObject *f_inet_ntoa(PyObject *m, PyObject *arg) {
    Py_buffer addr;
    struct in_addr in;
    if (PyObject_GetBuffer(arg, &addr, PyBUF_SIMPLE) < 0) return NULL;
    if (addr.len < (Py_ssize_t)sizeof(struct sockaddr_in)) {
        PyBuffer_Release(&addr);
        PyErr_SetString(PyExc_ValueError, "smaller than a struct sockaddr_in");
        return NULL;
    }
    in = ((struct sockaddr_in *)addr.buf)->sin_addr;
    PyBuffer_Release(&addr);
    return PyBytes_FromString(inet_ntoa(in));
}

/* printf(format, s) with one %s: C's printf into C's stdio buffer, as the original and csock do. */
static PyObject *f_printf_s(PyObject *m, PyObject *const *a, Py_ssize_t n) {
    if (n != 2 || !PyBytes_Check(a[0]) || !PyBytes_Check(a[1])) {
        PyErr_SetString(PyExc_TypeError, "printf_s takes 2 bytes");
        return NULL;
    }
    return PyLong_FromLong(printf(PyBytes_AS_STRING(a[0]), PyBytes_AS_STRING(a[1])));
}

/* memset(buf, c, count): no GIL release, it never blocks. */
static PyObject *f_memset(PyObject *m, PyObject *const *a, Py_ssize_t n) {
    Py_buffer b;
    int c;
    Py_ssize_t count;
    if (n != 3) { PyErr_SetString(PyExc_TypeError, "memset takes 3 arguments"); return NULL; }
    if (int_arg(a[1], &c)) return NULL;
    if (PyObject_GetBuffer(a[0], &b, PyBUF_WRITABLE) < 0) return NULL;
    if (count_arg(a[2], &b, &count)) { PyBuffer_Release(&b); return NULL; }
    memset(b.buf, c, count);
    PyBuffer_Release(&b);
    Py_RETURN_NONE;
}

/* read(fd, buf, count) and write(fd, buf, count): count no larger than buf. */
static PyObject *read_or_write(PyObject *const *a, Py_ssize_t n, int writing) {
    Py_buffer b;
    int fd;
    Py_ssize_t count, r;
    if (n != 3) { PyErr_SetString(PyExc_TypeError, "read/write take 3 arguments"); return NULL; }
    if (int_arg(a[0], &fd)) return NULL;
    if (PyObject_GetBuffer(a[1], &b, writing ? PyBUF_SIMPLE : PyBUF_WRITABLE) < 0) return NULL;
    if (count_arg(a[2], &b, &count)) { PyBuffer_Release(&b); return NULL; }
    Py_BEGIN_ALLOW_THREADS  /* may block on the socket */
    r = writing ? write(fd, b.buf, count) : read(fd, b.buf, count);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&b);
    return PyLong_FromSsize_t(r);
}
static PyObject *f_read(PyObject *m, PyObject *const *a, Py_ssize_t n) { return read_or_write(a, n, 0); }
static PyObject *f_write(PyObject *m, PyObject *const *a, Py_ssize_t n) { return read_or_write(a, n, 1); }

/* close(fd) */
static PyObject *f_close(PyObject *m, PyObject *arg) {
    int fd, r;
    if (int_arg(arg, &fd)) return NULL;
    Py_BEGIN_ALLOW_THREADS  /* may block (SO_LINGER) */
    r = close(fd);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(r);
}

static PyMethodDef methods[] = {
    {"accept", FASTCALL(f_accept), METH_FASTCALL, NULL},
    {"inet_ntoa", f_inet_ntoa, METH_O, NULL},
    {"printf_s", FASTCALL(f_printf_s), METH_FASTCALL, NULL},
    {"memset", FASTCALL(f_memset), METH_FASTCALL, NULL},
    {"read", FASTCALL(f_read), METH_FASTCALL, NULL},
    {"write", FASTCALL(f_write), METH_FASTCALL, NULL},
    {"close", f_close, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "capi_floor", NULL, -1, methods};

PyMODINIT_FUNC PyInit_capi_floor(void) { return PyModule_Create(&module); }
