"""csock/__init__.pyi is what csrc/gen_stub.py writes from the binding's cdefs, it names exactly what csock
exports on this platform, and mypy reads it: socket() returns int, str where C takes char * is an error."""
import ast
import importlib.util
import os
import subprocess
import sys

import pytest

import csock

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUB = os.path.join(ROOT, "csock", "__init__.pyi")
WINDOWS = sys.platform == "win32"


def load_gen_stub():
    spec = importlib.util.spec_from_file_location("gen_stub", os.path.join(ROOT, "csrc", "gen_stub.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_stub_is_what_gen_stub_writes():
    with open(STUB, encoding="utf-8") as f:
        committed = f.read()
    assert committed == load_gen_stub().render(), "csock/__init__.pyi is out of date: run `python3 csrc/gen_stub.py`"


def names_for_this_platform(body):
    """Names a stub body defines, following `if sys.platform == "win32":` as a type checker does here."""
    names = set()
    for node in body:
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            assert test == "sys.platform == 'win32'", f"unexpected condition in the stub: {test}"
            names |= names_for_this_platform(node.body if WINDOWS else node.orelse)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets)
    return names


def test_stub_names_exactly_what_csock_exports():
    with open(STUB, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    public = {name for name in names_for_this_platform(tree.body) if not name.startswith("_")}
    # csock's own calls (csock_iphdr_ihl) are imported by name, never by `import *`: in the stub, not in __all__
    exported = set(csock.__all__) | {name for name in dir(csock) if name.startswith("csock_")}
    assert sorted(exported - public) == [], "exported by csock, missing from the stub"
    assert sorted(public - exported - {"ffi", "lib"}) == [], "in the stub, not exported by csock"


def test_py_typed_marker():
    assert os.path.isfile(os.path.join(ROOT, "csock", "py.typed"))


SAMPLE = '''\
import csock
from csock import ffi

fd = csock.socket(csock.AF_INET, csock.SOCK_STREAM, 0)
reveal_type(fd)
reveal_type(csock.htons(80))
reveal_type(csock.errno())
reveal_type(csock.oserror())
sa = ffi.new("struct sockaddr_in *")
sa.sin_port = csock.htons(80)
reveal_type(csock.bind(fd, sa, ffi.sizeof("struct sockaddr_in")))
buf = bytearray(16)
reveal_type(csock.recv(fd, buf, 16, 0))
csock.inet_addr("127.0.0.1")
'''


# Each platform's side of the stub, on any machine: mypy's --platform picks the `if sys.platform == "win32":` branch.
@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_mypy_reads_the_stub(tmp_path, platform):
    if WINDOWS:  # pyproject's test extra installs mypy; the Windows leg's interpreter under wine has none
        pytest.importorskip("mypy", reason="no mypy in this Windows interpreter (mypy 2's ast_serialize needs "
                            "bcryptprimitives.dll, which wine 8 lacks); Linux runs mypy --platform win32 on the stub")
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE)
    # cwd and MYPYPATH: the source tree, since mypy cannot follow setuptools' editable-install finder.
    env = dict(os.environ, MYPYPATH=ROOT)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--platform", platform, "--no-error-summary", "--cache-dir",
         str(tmp_path / "cache"), str(sample)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    lines = run.stdout.splitlines()
    revealed = [line.split("Revealed type is ")[1].strip('"').replace("builtins.", "")
                for line in lines if "Revealed type is" in line]
    assert revealed == ["int", "int", "int", "OSError", "int", "int"], run.stdout + run.stderr
    errors = [line for line in lines if ": error:" in line]
    assert len(errors) == 1 and ":14:" in errors[0] and '"inet_addr"' in errors[0], run.stdout + run.stderr
