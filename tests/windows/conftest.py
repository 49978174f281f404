"""The Windows leg's tests. tests/windows/run runs them under the Windows interpreter (wine), all but
test_cross_os.py and test_mingw_originals.py, which it runs natively; the Linux leg collects none of them."""
import os
import sys

import pytest

if sys.platform == "win32":
    # csock_compare (the checkout's harness) after site-packages: csock itself stays the installed wheel's
    sys.path.append(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    collect_ignore = ["test_cross_os.py", "test_mingw_originals.py", "provision.py", "test_family_native.py"]
elif os.environ.get("CSOCK_WINDOWS_LEG") == "1":
    collect_ignore = ["test_winsock_binding.py", "test_windows_echo.py", "test_installed_wheel.py", "provision.py",
                      "test_windows_family.py", "test_winsock_events.py"]
else:
    collect_ignore_glob = ["*.py"]


@pytest.fixture
def private_netns():
    """The book's fixed ports 3500/3600 are used only inside the private network namespace of tests/windows/run."""
    if os.environ.get("CSOCK_PRIVATE_NETNS") != "1":
        pytest.fail("the book's fixed ports need the private network namespace: run tests/windows/run")

