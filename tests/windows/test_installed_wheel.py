"""Under wine: the csock these tests import is the cp39-abi3-win_amd64 wheel that tests/windows/run installed into
this Windows interpreter with pip, not this checkout's csock/, and its extensions are stable-ABI modules."""
import importlib.metadata
import sys
from pathlib import Path

import csock
from csock import _csock, _csock_nonblocking

ROOT = Path(__file__).resolve().parents[2]


def test_csock_comes_from_the_interpreters_site_packages():
    package = Path(csock.__file__).resolve().parent
    assert package != ROOT / "csock"
    assert package == Path(sys.prefix).resolve() / "Lib" / "site-packages" / "csock"


def test_pip_installed_the_wheel_tagged_for_the_stable_abi():
    dist = importlib.metadata.distribution("csock")
    assert dist.read_text("INSTALLER").strip() == "pip"
    assert "Tag: cp39-abi3-win_amd64" in dist.read_text("WHEEL").splitlines()


def test_the_extensions_carry_no_interpreter_tag():
    # A .cp313-win_amd64.pyd would load in CPython 3.13 only; a plain .pyd in every CPython 3 (python3.dll).
    for module in (_csock, _csock_nonblocking):
        assert Path(module.__file__).name == module.__name__.rpartition(".")[2] + ".pyd"


def test_the_wheel_holds_the_binding_but_not_the_checkout_tools():
    names = {Path(p).name for p in importlib.metadata.files("csock") if p.parts[0] == "csock"}
    assert {"__init__.py", "__init__.pyi", "py.typed", "_csock.pyd", "_csock_nonblocking.pyd"} <= names
    assert not names & {"compare.py", "echo_runs.py", "faults.py", "line_rule.py"}
