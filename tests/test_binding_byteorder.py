"""htons / htonl / ntohs / ntohl against struct's network byte order ('!'), for every input."""
import struct

import pytest
from hypothesis import given, settings, strategies as st

import csock

U32 = st.integers(min_value=0, max_value=0xFFFFFFFF)


def test_htons_ntohs_every_16_bit_value():
    for value in range(0x10000):
        network = csock.htons(value)
        # The C return value, stored in memory in host order, is the big-endian encoding of value.
        assert struct.pack("=H", network) == struct.pack("!H", value), value
        assert csock.ntohs(struct.unpack("=H", struct.pack("!H", value))[0]) == value
        assert csock.ntohs(network) == value


@settings(max_examples=2000, deadline=None)
@given(U32)
def test_htonl_ntohl_match_struct(value):
    network = csock.htonl(value)
    assert struct.pack("=I", network) == struct.pack("!I", value)
    assert csock.ntohl(struct.unpack("=I", struct.pack("!I", value))[0]) == value
    assert csock.ntohl(network) == value


@pytest.mark.parametrize("value", [0, 1, 0xFF, 0x100, 0x7F000001, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF])
def test_htonl_edges(value):
    assert struct.pack("=I", csock.htonl(value)) == struct.pack("!I", value)


@pytest.mark.parametrize("func, bad", [
    (csock.htons, -1), (csock.htons, 0x10000), (csock.ntohs, -1), (csock.ntohs, 0x10000),
    (csock.htonl, -1), (csock.htonl, 1 << 32), (csock.ntohl, -1), (csock.ntohl, 1 << 32),
])
def test_out_of_range_raises_overflow(func, bad):
    with pytest.raises(OverflowError):
        func(bad)


@pytest.mark.parametrize("func", [csock.htons, csock.htonl, csock.ntohs, csock.ntohl])
@pytest.mark.parametrize("bad", ["80", b"80", 80.0, None])
def test_non_integer_raises_type_error(func, bad):
    with pytest.raises(TypeError):
        func(bad)
