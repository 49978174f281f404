"""csock on win32: WSAEventSelect and its event objects (csock/_checked/winsock2.py), called for real under
the Windows interpreter on a loopback connection; every count and struct pointer checked before C reads or
writes through it."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csock
from csock import ffi

from test_winsock_binding import connected, winsock  # noqa: F401 (fixtures)


def test_event_select_reports_fd_read_with_no_error(connected):
    client, server = connected
    event = csock.WSACreateEvent()
    assert event != csock.WSA_INVALID_EVENT
    assert csock.WSAEventSelect(server, event, csock.FD_READ | csock.FD_CLOSE) == 0
    events = ffi.new("WSAEVENT[]", [event])
    assert csock.WSAWaitForMultipleEvents(1, events, csock.FALSE, 0, csock.FALSE) == csock.WSA_WAIT_TIMEOUT
    assert csock.send(client, b"ping", 4, 0) == 4
    assert csock.WSAWaitForMultipleEvents(1, events, csock.FALSE, 5000, csock.FALSE) == csock.WSA_WAIT_EVENT_0
    found = ffi.new("WSANETWORKEVENTS *")
    assert csock.WSAEnumNetworkEvents(server, event, found) == 0
    assert found.lNetworkEvents & csock.FD_READ and found.iErrorCode[csock.FD_READ_BIT] == 0
    buf = ffi.new("char[]", 8)
    assert csock.recv(server, buf, 8, 0) == 4 and ffi.string(buf) == b"ping"
    csock.closesocket(client)
    assert csock.WSAWaitForMultipleEvents(1, events, csock.FALSE, 5000, csock.FALSE) == csock.WSA_WAIT_EVENT_0
    assert csock.WSAEnumNetworkEvents(server, event, found) == 0
    assert found.lNetworkEvents & csock.FD_CLOSE
    assert csock.WSACloseEvent(event)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])  # winsock: WSAStartup once
@given(st.integers(min_value=2, max_value=64))
def test_wait_refuses_more_events_than_the_array_holds(count):
    event = csock.WSACreateEvent()
    try:
        with pytest.raises(ValueError, match="cEvents"):
            csock.WSAWaitForMultipleEvents(count, ffi.new("WSAEVENT[]", [event]), csock.FALSE, 0, csock.FALSE)
        with pytest.raises(ValueError, match="cEvents"):
            csock.WSAWaitForMultipleEvents(count, ffi.new("WSAEVENT *", event), csock.FALSE, 0, csock.FALSE)
    finally:
        csock.WSACloseEvent(event)


@pytest.mark.parametrize("events", [ffi.NULL, ffi.new("int[]", 4), b"\0" * 64, ffi.new("char[]", 64)],
                         ids=["NULL", "int array", "bytes", "char array"])
def test_wait_takes_only_an_event_array(events):
    with pytest.raises((TypeError, ValueError)):
        csock.WSAWaitForMultipleEvents(1, events, csock.FALSE, 0, csock.FALSE)


@pytest.mark.parametrize("where", [ffi.NULL, ffi.new("long *"), ffi.new("char[]", 4), ffi.new("WSANETWORKEVENTS[]", 0)],
                         ids=["NULL", "long", "4 bytes", "empty array"])
def test_enum_network_events_needs_a_whole_struct(connected, where):
    _client, server = connected
    event = csock.WSACreateEvent()
    try:
        with pytest.raises((TypeError, ValueError)):
            csock.WSAEnumNetworkEvents(server, event, where)
    finally:
        csock.WSACloseEvent(event)


def test_event_calls_name_the_refused_argument():
    with pytest.raises(TypeError, match="lNetworkEvents"):
        csock.WSAEventSelect(csock.INVALID_SOCKET, csock.WSA_INVALID_EVENT, "FD_READ")
