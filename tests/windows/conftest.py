"""The Windows leg's tests. tests/windows/run runs them under the Windows interpreter (wine), all but
test_cross_os.py, which it runs natively in the same network namespace; the Linux leg collects none of them."""
import os
import sys

import pytest

if sys.platform == "win32":
    collect_ignore = ["test_cross_os.py", "provision.py"]
elif os.environ.get("CSOCK_WINDOWS_LEG") == "1":
    collect_ignore_glob = ["test_winsock_*.py", "test_windows_*.py", "provision.py", "winruns.py"]
else:
    collect_ignore_glob = ["*.py"]


@pytest.fixture
def private_netns():
    """The book's fixed ports 3500/3600 are used only inside the private network namespace of tests/windows/run."""
    if os.environ.get("CSOCK_PRIVATE_NETNS") != "1":
        pytest.fail("the book's fixed ports need the private network namespace: run tests/windows/run")

