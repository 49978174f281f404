"""inet_* against the stdlib (socket.inet_aton / inet_ntoa, ipaddress), and name resolution of what the
machine answers itself (localhost and numeric addresses) against socket.getaddrinfo & co."""
import ipaddress
import socket as stdlib_socket
import struct

import pytest
from hypothesis import example, given, settings, strategies as st

import csock
from csock import ffi
from binding_helpers import WINDOWS, loopback

FEW = settings(max_examples=300, deadline=None)


def examples(*values):
    """hypothesis.example for each value: the edge cases every run tries first."""
    def decorate(test):
        for value in reversed(values):
            test = example(value)(test)
        return test
    return decorate


def stdlib_inet_aton(text):
    """socket.inet_aton's 4 bytes for text, or None where it rejects text."""
    try:
        return stdlib_socket.inet_aton(text.decode("ascii"))
    except (OSError, ValueError):
        return None


def number_in(radix, value):
    return {"dec": str(value), "hex": hex(value), "HEX": "0X%X" % value, "oct": "0%o" % value}[radix]


# inet_aton's classic forms: 1 to 4 parts, each decimal, hex or octal, in range or not.
classic_forms = st.lists(
    st.tuples(st.sampled_from(["dec", "hex", "HEX", "oct"]),
              st.one_of(st.integers(0, 255), st.integers(0, 0xFFFFFFFF), st.integers(0, 1 << 40))),
    min_size=1, max_size=5,
).map(lambda parts: ".".join(number_in(r, v) for r, v in parts).encode())
dotted_quads = st.integers(0, 0xFFFFFFFF).map(lambda n: str(ipaddress.IPv4Address(n)).encode())
near_misses = st.text(alphabet="0123456789abcdefxX. \t-+", max_size=24).map(str.encode)
ipv4_texts = st.one_of(dotted_quads, classic_forms, near_misses)


@FEW
@given(ipv4_texts)
@examples(b"255.255.255.255", b"0.0.0.0", b"", b"1.2.3.256", b"127.1")
@examples(b"0x7f.1", b"010.0.0.1", b"1.2.3.4.5", b" 1.2.3.4", b"1.2.3.4 ")
def test_inet_addr_agrees_with_stdlib(text):
    packed = stdlib_inet_aton(text)
    result = csock.inet_addr(text)
    if packed is None:
        assert result == csock.INADDR_NONE
    else:
        assert struct.pack("=I", result) == packed  # in_addr_t holds network byte order


@pytest.mark.skipif(WINDOWS and not hasattr(csock, "inet_aton"), reason="Winsock has no inet_aton")
@FEW
@given(ipv4_texts)
@examples(b"255.255.255.255", b"", b"1.2.3.256", b"127.1")
def test_inet_aton_agrees_with_stdlib(text):
    packed = stdlib_inet_aton(text)
    inp = ffi.new("struct in_addr *")
    inp.s_addr = 0x5A5A5A5A
    result = csock.inet_aton(text, inp)
    if packed is None:
        assert result == 0
    else:
        assert result == 1
        assert bytes(ffi.buffer(inp)) == packed


@FEW
@given(st.binary(min_size=4, max_size=4))
def test_inet_ntoa_agrees_with_stdlib(packed):
    addr = ffi.new("struct in_addr *")
    addr.s_addr = struct.unpack("=I", packed)[0]
    text = csock.inet_ntoa(addr[0])
    assert text != ffi.NULL
    assert ffi.string(text) == stdlib_socket.inet_ntoa(packed).encode()


@FEW
@given(st.integers(0, 0xFFFFFFFF))
def test_inet_pton_ntop_round_trip_ipv4(number):
    addr = ipaddress.IPv4Address(number)
    dst = ffi.new("struct in_addr *")
    assert csock.inet_pton(csock.AF_INET, str(addr).encode(), dst) == 1
    assert bytes(ffi.buffer(dst)) == addr.packed
    text = ffi.new("char[]", csock.INET_ADDRSTRLEN)
    result = csock.inet_ntop(csock.AF_INET, dst, text, csock.INET_ADDRSTRLEN)
    assert result != ffi.NULL
    assert ffi.string(result) == str(addr).encode()
    assert ffi.string(text) == str(addr).encode()


# Addresses with runs of zero words, v4-mapped and v4-compatible ones: the shapes inet_ntop formats specially.
words = st.one_of(st.just(0), st.just(0xFFFF), st.integers(0, 0xFFFF))
ipv6_numbers = st.one_of(
    st.integers(0, (1 << 128) - 1),
    st.lists(words, min_size=8, max_size=8).map(lambda ws: int.from_bytes(struct.pack("!8H", *ws), "big")),
    st.integers(0, 0xFFFFFFFF).map(lambda v4: (0xFFFF << 32) | v4),
    st.integers(0, 0xFFFFFFFF),
)


@settings(max_examples=500, deadline=None)
@given(ipv6_numbers)
@examples(0, 1, (1 << 128) - 1, 0xFFFF7F000001)
def test_inet_pton_ntop_round_trip_ipv6(number):
    addr = ipaddress.IPv6Address(number)
    for form in (addr.compressed, addr.exploded):
        dst = ffi.new("struct in6_addr *")
        assert csock.inet_pton(csock.AF_INET6, form.encode(), dst) == 1, form
        assert bytes(ffi.buffer(dst)) == addr.packed, form
    text = ffi.new("char[]", csock.INET6_ADDRSTRLEN)
    result = csock.inet_ntop(csock.AF_INET6, dst, text, csock.INET6_ADDRSTRLEN)
    assert result != ffi.NULL
    # libc may write an embedded IPv4 tail (::ffff:1.2.3.4): compare addresses, not spellings.
    assert ipaddress.IPv6Address(ffi.string(result).decode()) == addr


def ipaddress_accepts_ipv4(text):
    try:
        ipaddress.IPv4Address(text.decode())
        return True
    except ValueError:
        return False


@FEW
@given(st.one_of(dotted_quads, st.text(alphabet="0123456789.", max_size=18).map(str.encode)))
@examples(b"01.2.3.4", b"1.2.3", b"256.1.1.1", b"1..2.3")
def test_inet_pton_ipv4_accepts_what_ipaddress_accepts(text):
    dst = ffi.new("struct in_addr *")
    assert csock.inet_pton(csock.AF_INET, text, dst) == (1 if ipaddress_accepts_ipv4(text) else 0)


def test_inet_pton_unknown_family_fails_with_eafnosupport():
    dst = ffi.new("struct in6_addr *")
    assert csock.inet_pton(9999, b"1.2.3.4", dst) == -1  # no address family has the number 9999
    if not WINDOWS:
        assert csock.errno() == csock.EAFNOSUPPORT


def test_inet_ntop_too_small_fails_with_enospc():
    src = ffi.new("struct in_addr *")
    assert csock.inet_pton(csock.AF_INET, b"255.255.255.255", src) == 1
    dst = ffi.new("char[]", 8)
    assert csock.inet_ntop(csock.AF_INET, src, dst, 8) == ffi.NULL
    if not WINDOWS:
        assert csock.errno() == csock.ENOSPC


def test_address_calls_check_their_arguments():
    with pytest.raises(TypeError):
        csock.inet_addr("127.0.0.1")
    with pytest.raises(TypeError):
        csock.inet_pton(csock.AF_INET, "127.0.0.1", ffi.new("struct in_addr *"))
    with pytest.raises(ValueError):  # dst holds 3 bytes, an IPv4 address needs 4
        csock.inet_pton(csock.AF_INET, b"127.0.0.1", ffi.new("char[3]"))
    with pytest.raises(ValueError):  # size larger than dst
        csock.inet_ntop(csock.AF_INET, ffi.new("struct in_addr *"), ffi.new("char[4]"), csock.INET_ADDRSTRLEN)
    with pytest.raises(ValueError):  # src holds 4 bytes, an IPv6 address needs 16
        csock.inet_ntop(csock.AF_INET6, ffi.new("struct in_addr *"), ffi.new("char[64]"), 64)
    with pytest.raises(OverflowError):
        csock.inet_pton(1 << 40, b"127.0.0.1", ffi.new("struct in6_addr *"))


# --- names: only what the machine answers itself -------------------------------------------------

def addresses_of(hostent):
    out = []
    for i in range(64):
        entry = hostent.h_addr_list[i]
        if entry == ffi.NULL:
            return out
        out.append(bytes(ffi.buffer(entry, hostent.h_length)))
    raise AssertionError("h_addr_list is not NULL-terminated within 64 entries")


def test_gethostbyname_localhost():
    hostent = csock.gethostbyname(b"localhost")
    assert hostent != ffi.NULL, f"h_errno {csock.h_errno() if hasattr(csock, 'h_errno') else '?'}"
    assert hostent.h_addrtype == csock.AF_INET
    assert hostent.h_length == 4
    found = addresses_of(hostent)
    assert found and all(ipaddress.IPv4Address(a) in ipaddress.IPv4Network("127.0.0.0/8") for a in found)
    assert ffi.string(hostent.h_name) == stdlib_socket.gethostbyname_ex("localhost")[0].encode()


def test_gethostbyname_numeric():
    hostent = csock.gethostbyname(b"127.0.0.1")
    assert hostent != ffi.NULL
    assert addresses_of(hostent) == [bytes([127, 0, 0, 1])]


def test_gethostbyaddr_loopback_agrees_with_stdlib():
    packed = ffi.new("char[]", bytes([127, 0, 0, 1]))
    hostent = csock.gethostbyaddr(packed, 4, csock.AF_INET)
    try:
        expected = stdlib_socket.gethostbyaddr("127.0.0.1")[0].encode()
    except OSError:
        expected = None
    if expected is None:
        assert hostent == ffi.NULL
    else:
        assert hostent != ffi.NULL
        assert ffi.string(hostent.h_name) == expected
        assert bytes([127, 0, 0, 1]) in addresses_of(hostent)
    with pytest.raises(ValueError):  # len larger than addr
        csock.gethostbyaddr(packed, 16, csock.AF_INET6)


def walk(res):
    """(family, socktype, protocol, host text, port) of each entry of a getaddrinfo list."""
    out = []
    node = res
    for _ in range(256):
        if node == ffi.NULL:
            return out
        host = ffi.new("char[]", csock.NI_MAXHOST)
        serv = ffi.new("char[]", csock.NI_MAXSERV)
        rc = csock.getnameinfo(node.ai_addr, node.ai_addrlen, host, csock.NI_MAXHOST, serv, csock.NI_MAXSERV,
                               csock.NI_NUMERICHOST | csock.NI_NUMERICSERV)
        assert rc == 0, ffi.string(csock.gai_strerror(rc))
        out.append((node.ai_family, node.ai_socktype, node.ai_protocol, ffi.string(host).decode(),
                    int(ffi.string(serv))))
        node = node.ai_next
    raise AssertionError("the addrinfo list does not end within 256 entries")


def getaddrinfo_list(node, service, family, socktype, flags):
    hints = ffi.new("struct addrinfo *")
    hints.ai_family = family
    hints.ai_socktype = socktype
    hints.ai_flags = flags
    res = ffi.new("struct addrinfo **")
    rc = csock.getaddrinfo(node, service, hints, res)
    assert rc == 0, ffi.string(csock.gai_strerror(rc))
    try:
        return walk(res[0])
    finally:
        csock.freeaddrinfo(res[0])


def stdlib_list(node, port, family, socktype, flags):
    return [(f, t, p, addr[0], addr[1])
            for f, t, p, _, addr in stdlib_socket.getaddrinfo(node, port, family, socktype, 0, flags)]


@pytest.mark.parametrize("node", ["127.0.0.1", "::1", "localhost"])
@pytest.mark.parametrize("socktype", [0, stdlib_socket.SOCK_STREAM])
def test_getaddrinfo_agrees_with_stdlib(node, socktype):
    flags = csock.AI_NUMERICSERV | (0 if node == "localhost" else csock.AI_NUMERICHOST)
    ours = getaddrinfo_list(node.encode(), b"8080", csock.AF_UNSPEC, socktype, flags)
    assert ours
    assert sorted(ours) == sorted(stdlib_list(node, 8080, 0, socktype, flags))
    for family, _, _, host, port in ours:
        assert ipaddress.ip_address(host).is_loopback and port == 8080


def test_getaddrinfo_failure_and_gai_strerror():
    res = ffi.new("struct addrinfo **")
    hints = ffi.new("struct addrinfo *")
    hints.ai_flags = csock.AI_NUMERICHOST
    rc = csock.getaddrinfo(b"not.a.number", ffi.NULL, hints, res)
    assert rc == csock.EAI_NONAME
    with pytest.raises(stdlib_socket.gaierror) as caught:
        stdlib_socket.getaddrinfo("not.a.number", None, 0, 0, 0, stdlib_socket.AI_NUMERICHOST)
    assert caught.value.errno == rc
    text = ffi.string(csock.gai_strerror(rc)).decode()
    if WINDOWS:  # Winsock's gai_strerror is the system's message of rc; Python's Windows build has its own text
        import ctypes
        assert caught.value.strerror == "getaddrinfo failed"
        assert text.rstrip() == ctypes.FormatError(rc) != ""
    else:
        assert text == caught.value.strerror


def test_freeaddrinfo_only_what_getaddrinfo_returned():
    res = ffi.new("struct addrinfo **")
    assert csock.getaddrinfo(b"127.0.0.1", b"80", ffi.NULL, res) == 0
    csock.freeaddrinfo(res[0])
    with pytest.raises(ValueError):  # a second free would corrupt the heap
        csock.freeaddrinfo(res[0])
    with pytest.raises(TypeError):
        csock.getaddrinfo("127.0.0.1", b"80", ffi.NULL, res)


@pytest.mark.parametrize("family, text", [(csock.AF_INET, "127.0.0.1"), (csock.AF_INET6, "::1")])
def test_getnameinfo_numeric(family, text):
    sa, size = loopback(family, 8080)
    host = ffi.new("char[]", csock.NI_MAXHOST)
    serv = ffi.new("char[32]")
    rc = csock.getnameinfo(sa, size, host, csock.NI_MAXHOST, serv, 32, csock.NI_NUMERICHOST | csock.NI_NUMERICSERV)
    assert rc == 0, ffi.string(csock.gai_strerror(rc))
    assert (ffi.string(host), ffi.string(serv)) == (text.encode(), b"8080")
    with pytest.raises(ValueError):  # servlen larger than serv
        csock.getnameinfo(sa, size, host, csock.NI_MAXHOST, serv, 64, 0)
    with pytest.raises(ValueError):  # addrlen larger than the sockaddr
        csock.getnameinfo(sa, size + 1, host, csock.NI_MAXHOST, serv, 32, 0)
